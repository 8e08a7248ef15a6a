package dev.lacquer.worker.generation.openai;

import dev.lacquer.model.event.GenerationCompleted.Usage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The OpenAI provider's meters on {@code /q/metrics}: {@code lacquer_worker_openai_requests_total{outcome}} (ok,
 * content_policy, invalid_input, configuration, quota, rate_limited, unavailable),
 * {@code lacquer_worker_openai_configuration_errors_total} (alert on any),
 * {@code lacquer_worker_openai_request_duration_seconds}, {@code lacquer_worker_openai_tokens_total{kind}},
 * {@code lacquer_worker_openai_calls_in_flight}, {@code lacquer_worker_openai_rate_limit_pause_seconds}.
 */
@ApplicationScoped
public class OpenAiMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger inFlight;

    OpenAiMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.inFlight = registry.gauge("lacquer.worker.openai.calls.in.flight", new AtomicInteger());
    }

    /** Micrometer holds gauge state weakly: the gate is held by {@link OpenAiImages} for the life of the app. */
    void pauseGauge(RateLimitGate gate) {
        registry.gauge("lacquer.worker.openai.rate.limit.pause.seconds", gate, g -> g.remaining().toMillis() / 1000.0);
    }

    void callStarted() {
        inFlight.incrementAndGet();
    }

    void callEnded(String outcome, Duration took) {
        inFlight.decrementAndGet();
        registry.counter("lacquer.worker.openai.requests", "outcome", outcome).increment();
        Timer.builder("lacquer.worker.openai.request.duration")
                .description("Time one OpenAI image edit call took, failed ones included")
                .register(registry)
                .record(took);
    }

    void configurationError() {
        registry.counter("lacquer.worker.openai.configuration.errors").increment();
    }

    void usage(Usage usage) {
        if (usage.inputTokens() != null) {
            registry.counter("lacquer.worker.openai.tokens", "kind", "input").increment(usage.inputTokens());
        }
        if (usage.outputTokens() != null) {
            registry.counter("lacquer.worker.openai.tokens", "kind", "output").increment(usage.outputTokens());
        }
    }

    public double requests(String outcome) {
        var counter = registry.find("lacquer.worker.openai.requests").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    public double configurationErrors() {
        var counter = registry.find("lacquer.worker.openai.configuration.errors").counter();
        return counter == null ? 0 : counter.count();
    }
}
