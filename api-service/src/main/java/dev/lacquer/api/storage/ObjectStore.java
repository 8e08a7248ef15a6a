package dev.lacquer.api.storage;

import dev.lacquer.objectstore.ObjectStoreClient;
import dev.lacquer.objectstore.ObjectStoreUnavailableException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The API's writes to the object store (R2 in production): the user's original photo. A store that cannot answer
 * throws {@link ObjectStoreUnavailableException} (the request answers 503), one that refuses
 * {@link dev.lacquer.objectstore.ObjectStoreRefusedException} (a misconfiguration: 500).
 */
@ApplicationScoped
public class ObjectStore {

    private static final String CACHE_CONTROL = "private, max-age=31536000, immutable";
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(3);

    private final ObjectStoreClient client;

    ObjectStore(ObjectStoreClient client) {
        this.client = client;
    }

    public void put(String key, byte[] bytes, String contentType) {
        try {
            client.put(key, bytes, contentType, CACHE_CONTROL);
        } catch (InterruptedException e) {
            throw interrupted("PUT " + key, e);
        }
    }

    /** Best effort: used to remove a photo whose job was not accepted after all. */
    public void deleteQuietly(String key) {
        try {
            client.delete(key);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Log.warnf("could not delete %s: interrupted", key);
        } catch (RuntimeException e) {
            Log.warnf("could not delete %s: %s", key, e.getMessage());
        }
    }

    /** Throws unless the bucket answers within a few seconds. */
    public boolean bucketReachable() {
        try {
            client.checkBucket(HEALTH_TIMEOUT);
            return true;
        } catch (InterruptedException e) {
            throw interrupted("HEAD bucket", e);
        }
    }

    private static ObjectStoreUnavailableException interrupted(String what, InterruptedException e) {
        Thread.currentThread().interrupt();
        return new ObjectStoreUnavailableException(what + " interrupted", 0, null, e);
    }
}
