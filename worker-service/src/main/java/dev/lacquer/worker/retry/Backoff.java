package dev.lacquer.worker.retry;

import dev.lacquer.worker.config.WorkerConfig;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: try {@code n} (1-based) waits {@code min(max, initial × 2^(n-1))}, of which the
 * {@code jitter} fraction is drawn at random, so workers that failed together do not retry together.
 */
public record Backoff(int maxAttempts, Duration initial, Duration max, double jitter, Duration maxElapsed) {

    public Backoff {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter must be between 0 and 1");
        }
    }

    public static Backoff of(WorkerConfig.Retry config) {
        return new Backoff(config.maxAttempts(), config.initialBackoff(), config.maxBackoff(), config.jitter(),
                config.maxElapsed());
    }

    /** The wait after failed try {@code attempt} (1-based). */
    public Duration delay(int attempt) {
        long initialMillis = Math.max(1, initial.toMillis());
        int doublings = Math.min(Math.max(0, attempt - 1), 30);
        long millis = Math.min(max.toMillis(), initialMillis << doublings);
        double factor = 1 - jitter * ThreadLocalRandom.current().nextDouble();
        return Duration.ofMillis(Math.max(1, Math.round(millis * factor)));
    }
}
