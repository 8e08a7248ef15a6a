package dev.lacquer.worker.retry;

import dev.lacquer.worker.config.WorkerConfig;
import dev.lacquer.worker.metrics.WorkerMetrics;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * Runs an operation again after transient failures, within {@code lacquer.worker.retry.*}: at most
 * {@code max-attempts} tries, none started after {@code max-elapsed}. The last failure is thrown as it is.
 */
@ApplicationScoped
public class Retrier {

    private final Backoff backoff;
    private final WorkerMetrics metrics;

    @Inject
    Retrier(WorkerConfig config, WorkerMetrics metrics) {
        this(Backoff.of(config.retry()), metrics);
    }

    public Retrier(Backoff backoff, WorkerMetrics metrics) {
        this.backoff = backoff;
        this.metrics = metrics;
    }

    public Backoff backoff() {
        return backoff;
    }

    /**
     * @param operation a short name for logs and the retry metric, e.g. {@code storage.put}
     * @param context   what the operation is about in log lines, e.g. {@code "job 7f…"}
     * @param transientFailure which failures are worth another try
     * @throws InterruptedException when interrupted while waiting
     */
    public <T> T call(String operation, String context, Callable<T> action, Predicate<Exception> transientFailure)
            throws Exception {
        long startedAt = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                return action.call();
            } catch (Exception e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException(operation + " interrupted");
                }
                Duration elapsed = Duration.ofNanos(System.nanoTime() - startedAt);
                Duration wait = backoff.delay(attempt);
                boolean more = attempt < backoff.maxAttempts()
                        && elapsed.plus(wait).compareTo(backoff.maxElapsed()) <= 0
                        && transientFailure.test(e);
                if (!more) {
                    throw e;
                }
                metrics.retried(operation);
                Log.warnf("%s: %s failed (try %d of %d), again in %d ms: %s", context, operation, attempt,
                        backoff.maxAttempts(), wait.toMillis(), e.getMessage());
                Thread.sleep(wait);
            }
        }
    }
}
