package dev.lacquer.worker.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lacquer.model.ObjectKeys;
import dev.lacquer.worker.config.WorkerConfig;
import dev.lacquer.worker.retry.Retrier;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.UUID;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The worker's reads and writes in the object store: the original photo in, result images, thumbnails and the
 * manifest out. Transient failures (I/O, 5xx, throttling) are retried with backoff; what still fails becomes a
 * {@link StorageUnavailableException}.
 */
@ApplicationScoped
public class ResultStore {

    private static final String PNG = "image/png";
    private static final String JSON = "application/json";
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(3);

    private final S3Client s3;
    private final Retrier retrier;
    private final ObjectMapper json;
    private final String bucket;
    private final String cacheControl;
    private final long maxPhotoBytes;
    private final java.util.concurrent.Semaphore calls;
    private final Consumer<AwsRequestOverrideConfiguration.Builder> callTimeout;

    ResultStore(S3Client s3, Retrier retrier, ObjectMapper json, WorkerConfig config) {
        this.s3 = s3;
        this.retrier = retrier;
        this.json = json;
        this.bucket = config.storage().bucket();
        this.cacheControl = config.storage().cacheControl();
        this.maxPhotoBytes = config.maxPhotoBytes();
        this.calls = new java.util.concurrent.Semaphore(config.storage().maxConcurrentCalls(), true);
        Duration timeout = config.storage().callTimeout();
        // Bounds one try, the SDK's own quick retries included; the Retrier decides about further tries.
        this.callTimeout = c -> c.apiCallTimeout(timeout);
    }

    /**
     * The job's manifest, if its results are already stored. An unreadable manifest counts as none.
     *
     * <p>Asks with a HEAD first: nearly every job has no manifest yet, and a HEAD's 404 carries no error document
     * for the store to write and the SDK to parse. Only a manifest that exists is read (a second call, on the
     * rare redelivery of a finished job).
     */
    public Optional<Manifest> findManifest(String userId, UUID jobId) throws InterruptedException {
        String key = ObjectKeys.manifest(userId, jobId);
        boolean exists = run("storage.head", jobId, () -> {
            try {
                s3.headObject(r -> r.bucket(bucket).key(key).overrideConfiguration(callTimeout));
                return true;
            } catch (NoSuchKeyException e) {
                return false;
            }
        });
        if (!exists) {
            return Optional.empty();
        }
        Optional<byte[]> bytes = run("storage.get", jobId, () -> {
            try {
                return Optional.of(s3.getObjectAsBytes(
                        r -> r.bucket(bucket).key(key).overrideConfiguration(callTimeout)).asByteArrayUnsafe());
            } catch (NoSuchKeyException e) {
                return Optional.<byte[]>empty();
            }
        });
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
        return run("storage.get", jobId, () -> {
            try {
                ResponseBytes<GetObjectResponse> response = s3.getObjectAsBytes(
                        r -> r.bucket(bucket).key(key).overrideConfiguration(callTimeout));
                // The buffer the SDK read into, not a copy of it: nothing else holds it.
                byte[] photo = response.asByteArrayUnsafe();
                if (photo.length > maxPhotoBytes) {
                    throw new MissingObjectException("the original photo is larger than " + maxPhotoBytes + " bytes");
                }
                return photo;
            } catch (NoSuchKeyException e) {
                throw new MissingObjectException("the original photo " + key + " is not in the store");
            }
        });
    }

    /** Stores a PNG image, immutable and private to its owner. */
    public void putPng(UUID jobId, String key, byte[] png) throws InterruptedException {
        run("storage.put", jobId, () -> s3.putObject(
                r -> r.bucket(bucket).key(key).contentType(PNG).cacheControl(cacheControl)
                        .overrideConfiguration(callTimeout),
                unsafeBody(png, PNG)));
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
        run("storage.put", manifest.jobId(), () -> s3.putObject(
                r -> r.bucket(bucket).key(key).contentType(JSON).cacheControl("private, no-cache")
                        .overrideConfiguration(callTimeout),
                unsafeBody(body, JSON)));
    }

    /**
     * A request body over the caller's array without copying it ({@code RequestBody.fromBytes} copies): the arrays
     * given here are never changed after they are made. Each (re)try reads it from the start.
     */
    private static RequestBody unsafeBody(byte[] bytes, String contentType) {
        return RequestBody.fromContentProvider(ContentStreamProvider.fromByteArrayUnsafe(bytes), bytes.length,
                contentType);
    }

    /** For the readiness check: throws when the bucket cannot be reached within a few seconds. */
    public void headBucket() {
        s3.headBucket(r -> r.bucket(bucket).overrideConfiguration(c -> c.apiCallTimeout(HEALTH_TIMEOUT)));
    }

    public String bucket() {
        return bucket;
    }

    private <T> T run(String operation, UUID jobId, java.util.concurrent.Callable<T> action)
            throws InterruptedException {
        try {
            return retrier.call(operation, "job " + jobId, () -> gated(action), ResultStore::isTransient);
        } catch (InterruptedException | MissingObjectException e) {
            throw e;
        } catch (AbortedException e) {
            // The SDK's word for "the calling thread was interrupted".
            throw new InterruptedException(operation + " aborted");
        } catch (S3Exception e) {
            throw new StorageUnavailableException(operation + " answered HTTP " + e.statusCode()
                    + (e.awsErrorDetails() == null ? "" : " " + e.awsErrorDetails().errorCode()), e);
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

    static boolean isTransient(Exception e) {
        if (e instanceof AbortedException) {
            return false;
        }
        if (e instanceof S3Exception s3) {
            int status = s3.statusCode();
            // 501 Not Implemented will not change by asking again.
            return status >= 500 && status != 501 || status == 429 || status == 408 || status == 0;
        }
        return e instanceof SdkClientException || e instanceof java.io.UncheckedIOException;
    }
}
