package dev.lacquer.worker.metrics;

import dev.lacquer.model.ErrorCode;
import dev.lacquer.model.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker's meters, on {@code /q/metrics} in Prometheus form as {@code lacquer_worker_*}: jobs started,
 * completed (tagged by source: generated or storage), failed (tagged by error code), canceled; generation duration;
 * jobs in flight; retries (tagged by operation); generator calls; unreadable requests. Also {@code lacquer_dead_letters_total}
 * (tagged by topic, the name the API uses for its own dead letters), registered at zero so alerts on it work at once.
 */
@Startup
@ApplicationScoped
public class WorkerMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger inFlight;

    WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.inFlight = registry.gauge("lacquer.worker.jobs.in.flight", new AtomicInteger());
        deadLetters();
    }

    private Counter deadLetters() {
        return registry.counter("lacquer.dead.letters", "topic", Topics.REQUESTS_DLQ);
    }

    public void jobStarted() {
        registry.counter("lacquer.worker.jobs.started").increment();
    }

    public void jobCompleted(boolean fromStorage) {
        registry.counter("lacquer.worker.jobs.completed", "source", fromStorage ? "storage" : "generated").increment();
    }

    public void jobFailed(ErrorCode code) {
        registry.counter("lacquer.worker.jobs.failed", "error_code", code.name()).increment();
    }

    public void jobCanceled() {
        registry.counter("lacquer.worker.jobs.canceled").increment();
    }

    public void generated(String generator, Duration took) {
        Timer.builder("lacquer.worker.generation.duration")
                .description("Time the generator took for one job")
                .tag("generator", generator)
                .publishPercentileHistogram()
                .register(registry)
                .record(took);
    }

    /** Counts calls into a generator: the one cost the answer-from-storage path must avoid. */
    public void generatorCalled(String generator) {
        generatorCalls(generator).increment();
    }

    public Counter generatorCalls(String generator) {
        return registry.counter("lacquer.worker.generator.calls", "generator", generator);
    }

    public void retried(String operation) {
        registry.counter("lacquer.worker.retries", "operation", operation).increment();
    }

    public void unreadableRequest() {
        registry.counter("lacquer.worker.requests.unreadable").increment();
        deadLetters().increment();
    }

    public void jobEntered() {
        inFlight.incrementAndGet();
    }

    public void jobLeft() {
        inFlight.decrementAndGet();
    }

    public int inFlight() {
        return inFlight.get();
    }
}
