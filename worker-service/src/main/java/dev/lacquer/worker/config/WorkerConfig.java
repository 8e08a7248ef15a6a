package dev.lacquer.worker.config;

import dev.lacquer.objectstore.ObjectStoreConnection;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Everything the worker reads under {@code lacquer.worker}. */
@ConfigMapping(prefix = "lacquer.worker")
public interface WorkerConfig {

    /** Jobs generating at once in this process; intake stops while this many are in flight. */
    @WithDefault("64")
    int maxConcurrentJobs();

    /** How often a generating job reports {@code GenerationProgress} (it also extends the job's lease in the API). */
    @WithDefault("5s")
    Duration heartbeatInterval();

    /** Which {@code DesignGenerator} draws the designs: {@code local} (default); others register their own name. */
    @WithDefault("local")
    String generator();

    /** Named in {@code GenerationStarted}; defaults to the host name plus a random suffix. */
    Optional<String> workerId();

    /** The largest number of images one request may ask for. */
    @WithDefault("8")
    int maxImageCount();

    /** The largest original photo the worker downloads, in bytes. */
    @WithDefault("31457280")
    long maxPhotoBytes();

    Retry retry();

    Storage storage();

    LocalRenderer localRenderer();

    /** Retries of transient errors (object store, event publication): exponential backoff with jitter. */
    interface Retry {
        /** Tries in all, the first included. */
        @WithDefault("5")
        int maxAttempts();

        @WithDefault("200ms")
        Duration initialBackoff();

        @WithDefault("5s")
        Duration maxBackoff();

        /** Fraction of each backoff drawn at random, 0 to 1: 0.5 waits between 50 % and 100 % of the backoff. */
        @WithDefault("0.5")
        double jitter();

        /** No retry starts once this long has passed since the first try. */
        @WithDefault("30s")
        Duration maxElapsed();
    }

    /** The object store (R2 in production, s3proxy locally): the connection, and the worker's use of it. */
    interface Storage extends ObjectStoreConnection {
        /** Cache-Control of result images and thumbnails: the keys never change content. */
        @WithDefault("private, max-age=31536000, immutable")
        String cacheControl();

        /**
         * Object-store calls in flight at once, across all jobs. Hundreds of jobs at once would otherwise open as
         * many connections, each new (the HTTP client keeps only {@code http.maxConnections} idle ones, see
         * jvm.options), and overload the store; calls beyond this wait their turn and reuse kept connections.
         */
        @WithDefault("32")
        int maxConcurrentCalls();
    }

    interface LocalRenderer {
        /** Longest side of a rendered design, in pixels. */
        @WithDefault("1024")
        int maxSize();

        /**
         * Extra time spent on each image, for tests and demos that need a job that takes a while (cancel,
         * concurrency). Zero in real use.
         */
        @WithDefault("0s")
        Duration delay();
    }
}
