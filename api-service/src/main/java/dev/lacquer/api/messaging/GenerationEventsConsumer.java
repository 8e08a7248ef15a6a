package dev.lacquer.api.messaging;

import dev.lacquer.api.job.service.JobEventService;
import dev.lacquer.api.problem.DatabaseOutage;
import dev.lacquer.model.event.EventCodec;
import dev.lacquer.model.event.GenerationEvent;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.MDC;

/**
 * Applies the worker's events to jobs, in partition order (one job's events share a partition).
 * An unreadable record goes to the dead-letter topic and the consumer moves on; while the
 * database is unreachable the record is retried, so nothing is skipped by an outage. The method
 * only throws when the application stops mid-record; the channel's {@code fail} strategy then
 * leaves the offset uncommitted, so the record is delivered again.
 */
@ApplicationScoped
public class GenerationEventsConsumer {

    private static final int MAX_APPLY_ATTEMPTS = 5;
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final JobEventService jobEvents;
    private final DeadLetters deadLetters;
    private volatile boolean shuttingDown;

    GenerationEventsConsumer(JobEventService jobEvents, DeadLetters deadLetters) {
        this.jobEvents = jobEvents;
        this.deadLetters = deadLetters;
    }

    void onShutdown(@Observes ShutdownEvent ignored) {
        shuttingDown = true;
    }

    @Incoming("generation-events")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        GenerationEvent event;
        try {
            event = EventCodec.decode(record.value());
        } catch (EventCodec.UnreadableEventException e) {
            deadLetters.send(record, "unreadable event: " + e.getMessage());
            return;
        }
        // Every line logged while this event is applied carries the job id (JSON field mdc.jobId).
        MDC.put("jobId", event.jobId().toString());
        try {
            applyWithRetries(record, event);
        } finally {
            MDC.remove("jobId");
        }
    }

    private void applyWithRetries(ConsumerRecord<String, String> record, GenerationEvent event) {
        long backoff = 100;
        for (int attempt = 1; ; attempt++) {
            try {
                jobEvents.apply(event);
                return;
            } catch (RuntimeException e) {
                if (shuttingDown) {
                    // Not applied and not acknowledged: the record is delivered again after the restart.
                    throw new IllegalStateException("shutting down before job " + event.jobId() + " was updated", e);
                }
                boolean outage = DatabaseOutage.isOutage(e);
                if (!outage && attempt >= MAX_APPLY_ATTEMPTS) {
                    Log.errorf(e, "job %s: %s could not be applied", event.jobId(), event.type());
                    deadLetters.send(record, "not applicable: " + e.getClass().getSimpleName());
                    return;
                }
                Log.warnf("job %s: applying %s failed (%s), retrying in %d ms", event.jobId(), event.type(),
                        e.getMessage(), backoff);
                sleep(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    }
}
