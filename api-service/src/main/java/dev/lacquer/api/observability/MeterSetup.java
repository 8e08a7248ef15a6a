package dev.lacquer.api.observability;

import dev.lacquer.model.Topics;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Shapes the API's job meters for Prometheus. The job timers ({@code lacquer.jobs.queue.wait}: created → started,
 * {@code lacquer.jobs.generation.duration}: the worker's generation time as reported on completion) are published
 * as histograms between 50 ms and 15 min, so {@code histogram_quantile} gives any percentile across replicas.
 * Counters that alerts watch exist from startup, at zero, so {@code increase()} works before the first event.
 */
@ApplicationScoped
public class MeterSetup {

    /** Records that could not be applied and went to a dead-letter topic, by topic. */
    public static final String DEAD_LETTERS = "lacquer.dead.letters";

    private static final String JOB_TIMERS = "lacquer.jobs.";

    @Produces
    @Singleton
    MeterFilter jobHistograms() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (id.getType() != Meter.Type.TIMER || !id.getName().startsWith(JOB_TIMERS)) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .percentilesHistogram(true)
                        .minimumExpectedValue((double) Duration.ofMillis(50).toNanos())
                        .maximumExpectedValue((double) Duration.ofMinutes(15).toNanos())
                        .build()
                        .merge(config);
            }
        };
    }

    void registerAtZero(@Observes StartupEvent ignored, MeterRegistry registry) {
        registry.counter(DEAD_LETTERS, "topic", Topics.EVENTS_DLQ);
    }
}
