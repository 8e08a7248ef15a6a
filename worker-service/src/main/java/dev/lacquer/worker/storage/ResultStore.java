package dev.lacquer.worker.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lacquer.model.ObjectKeys;
import dev.lacquer.objectstore.ObjectStoreClient;
import dev.lacquer.objectstore.ObjectStoreException;
import dev.lacquer.objectstore.ObjectStoreUnavailableException;
import dev.lacquer.worker.config.WorkerConfig;
import dev.lacquer.worker.retry.Retrier;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * The worker's reads and writes in the object store: the original photo in, result images, thumbnails and the
 * manifest out, through the {@link ObjectStoreClient} (one signed HTTP request per call). Transient failures (I/O,
 * timeouts, 5xx, throttling) are retried with backoff; what still fails, or is refused outright, becomes a
 * {@link StorageUnavailableException}.
 */
@ApplicationScoped
public class ResultStore {

    private static final String PNG = "image/png";
    private static final String JSON = "application/json";
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(3);

    private final ObjectStoreClient store;
    private final Retrier retrier;
    private final ObjectMapper json;
    private final String cacheControl;
    private final long maxPhotoBytes;
    private final java.util.concurrent.Semaphore calls;

    ResultStore(ObjectStoreClient store, Retrier retrier, ObjectMapper json, WorkerConfig config) {
        this.store = store;
        this.retrier = retrier;
        this.json = json;
        this.cacheControl = config.storage().cacheControl();
        this.maxPhotoBytes = config.maxPhotoBytes();
        this.calls = new java.util.concurrent.Semaphore(config.storage().maxConcurrentCalls(), true);
    }

    /**
     * The job's manifest, if its results are already stored. An unreadable manifest counts as none.
     *
     * <p>Asks with a HEAD first: nearly every job has no manifest yet, and a HEAD's 404 carries no error document
     * for the store to write and the worker to read. Only a manifest that exists is read (a second call, on the
     * rare redelivery of a finished job).
     */
    public Optional<Manifest> findManifest(String userId, UUID jobId) throws InterruptedException {
        String key = ObjectKeys.manifest(userId, jobId);
        boolean exists = run("storage.head", jobId, () -> store.exists(key));
        if (!exists) {
            return Optional.empty();
        }
        Optional<byte[]> bytes = run("storage.get", jobId, () -> store.get(key));
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        try {
            Manifest manifest = json.readValue(bytes.get(), Manifest.class);
            if (manifest.resultImageKeys().isEmpty()) {
                Log.warnf("job %s: manifest %s lists no images; generating again", jobId, key);
                return Optional.empty();
            }
            return Optional.of(manifest);
        } catch (java.io.IOException e) {
            Log.warnf("job %s: manifest %s is unreadable (%s); generating again", jobId, key, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The original photo's bytes.
     *
     * @throws MissingObjectException when there is no such object, or it is larger than allowed
     */
    public byte[] readOriginal(UUID jobId, String key) throws InterruptedException {
        byte[] photo = run("storage.get", jobId, () -> store.get(key)).orElseThrow(
                () -> new MissingObjectException("the original photo " + key + " is not in the store"));
        if (photo.length > maxPhotoBytes) {
            throw new MissingObjectException("the original photo is larger than " + maxPhotoBytes + " bytes");
        }
        return photo;
    }

    /** Stores a PNG image, immutable and private to its owner. */
    public void putPng(UUID jobId, String key, byte[] png) throws InterruptedException {
        run("storage.put", jobId, () -> {
            store.put(key, png, PNG, cacheControl);
            return null;
        });
    }

    /** Writes the manifest: call it after every image is stored. */
    public void putManifest(Manifest manifest) throws InterruptedException {
        String key = ObjectKeys.manifest(manifest.userId(), manifest.jobId());
        byte[] body;
        try {
            body = json.writeValueAsBytes(manifest);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("manifest cannot be written as JSON", e);
        }
        run("storage.put", manifest.jobId(), () -> {
            store.put(key, body, JSON, "private, no-cache");
            return null;
        });
    }

    /** For the readiness check: throws when the bucket cannot be reached within a few seconds. */
    public void headBucket() throws InterruptedException {
        store.checkBucket(HEALTH_TIMEOUT);
    }

    public String bucket() {
        return store.bucket();
    }

    private <T> T run(String operation, UUID jobId, java.util.concurrent.Callable<T> action)
            throws InterruptedException {
        try {
            return retrier.call(operation, "job " + jobId, () -> gated(action), ResultStore::isTransient);
        } catch (InterruptedException | MissingObjectException e) {
            throw e;
        } catch (ObjectStoreException e) {
            throw new StorageUnavailableException(operation + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new StorageUnavailableException(operation + " failed: " + e.getMessage(), e);
        }
    }

    /** One try of a call, while holding one of the store's call slots (not while the Retrier waits between tries). */
    private <T> T gated(java.util.concurrent.Callable<T> action) throws Exception {
        calls.acquire();
        try {
            return action.call();
        } finally {
            calls.release();
        }
    }

    /** No connection, a timeout, 5xx (but 501), 408 or 429: the client's {@link ObjectStoreUnavailableException}. */
    static boolean isTransient(Exception e) {
        return e instanceof ObjectStoreUnavailableException || e instanceof java.io.UncheckedIOException;
    }
}
