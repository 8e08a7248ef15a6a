package dev.lacquer.objectstore;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the bucket is and how to reach it.
 *
 * @param endpoint        the store's base URL, e.g. {@code https://<account>.r2.cloudflarestorage.com} or
 *                        {@code http://127.0.0.1:19000}
 * @param region          the signing region ({@code auto} for R2, {@code us-east-1} for s3proxy)
 * @param bucket          the one bucket every call addresses
 * @param pathStyle       {@code https://endpoint/bucket/key} when true, {@code https://bucket.endpoint/key} when false
 * @param connectTimeout  the longest a new connection may take to open
 * @param readTimeout     the longest one request waits for the store's bytes (each wait, not the whole answer)
 */
public record ObjectStoreSettings(URI endpoint, String region, String bucket, boolean pathStyle, String accessKeyId,
                                  String secretAccessKey, Duration connectTimeout, Duration readTimeout) {

    public ObjectStoreSettings {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        if (endpoint.getHost() == null) {
            throw new IllegalArgumentException("the object-store endpoint " + endpoint + " names no host");
        }
    }

    /** The same settings with another secret (for tests of a refused signature). */
    public ObjectStoreSettings withSecretAccessKey(String secret) {
        return new ObjectStoreSettings(endpoint, region, bucket, pathStyle, accessKeyId, secret, connectTimeout,
                readTimeout);
    }

    @Override
    public String toString() {
        return "ObjectStoreSettings[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket
                + ", pathStyle=" + pathStyle + ", accessKeyId=" + accessKeyId + "]";
    }
}
