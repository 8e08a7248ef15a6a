package dev.lacquer.api.storage;

import dev.lacquer.api.config.LacquerConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The API's writes to the object store (R2 in production): the user's original photo. */
@ApplicationScoped
public class ObjectStore {

    private static final String CACHE_CONTROL = "private, max-age=31536000, immutable";

    private final S3Client s3;
    private final String bucket;

    ObjectStore(S3Client s3, LacquerConfig config) {
        this.s3 = s3;
        this.bucket = config.storage().bucket();
    }

    public void put(String key, byte[] bytes, String contentType) {
        s3.putObject(request -> request.bucket(bucket).key(key).contentType(contentType).cacheControl(CACHE_CONTROL),
                RequestBody.fromBytes(bytes));
    }

    /** Best effort: used to remove a photo whose job was not accepted after all. */
    public void deleteQuietly(String key) {
        try {
            s3.deleteObject(request -> request.bucket(bucket).key(key));
        } catch (RuntimeException e) {
            Log.warnf("could not delete %s: %s", key, e.getMessage());
        }
    }

    public boolean bucketReachable() {
        s3.headBucket(request -> request.bucket(bucket));
        return true;
    }
}
