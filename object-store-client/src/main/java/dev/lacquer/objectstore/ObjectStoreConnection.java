package dev.lacquer.objectstore;

import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;

/**
 * The bucket and how to reach it, as a configuration group: each service's storage group extends it (SmallRye Config
 * maps the members of a super-interface under the sub-interface's prefix), so the connection settings, their
 * defaults and their names are declared here once. The annotations are read by SmallRye Config only; this jar does
 * not depend on it (a {@code provided} dependency), and code without it (the benchmark) uses
 * {@link ObjectStoreSettings} directly.
 */
public interface ObjectStoreConnection {

    /** The one bucket every call addresses ({@code S3_BUCKET}). */
    String bucket();

    /** The store's base URL ({@code S3_ENDPOINT}). */
    URI endpoint();

    /** The signing region ({@code S3_REGION}; {@code auto} for R2). */
    @WithDefault("us-east-1")
    String region();

    /** {@code endpoint/bucket/key} when true, {@code bucket.endpoint/key} when false ({@code S3_PATH_STYLE}). */
    @WithDefault("true")
    boolean pathStyle();

    /** {@code S3_ACCESS_KEY_ID}. */
    String accessKeyId();

    /** {@code S3_SECRET_ACCESS_KEY}. */
    String secretAccessKey();

    /** The longest a new connection to the store may take to open. */
    @WithDefault("PT3S")
    Duration connectTimeout();

    /**
     * The longest one request waits for the store's bytes (each wait, not the whole answer): a store that stops
     * answering fails the call after this, as unavailable (the worker may try again, the API answers 503).
     */
    @WithDefault("PT20S")
    Duration readTimeout();

    /** The client settings these name. */
    static ObjectStoreSettings settings(ObjectStoreConnection connection) {
        return new ObjectStoreSettings(connection.endpoint(), connection.region(), connection.bucket(),
                connection.pathStyle(), connection.accessKeyId(), connection.secretAccessKey(),
                connection.connectTimeout(), connection.readTimeout());
    }
}
