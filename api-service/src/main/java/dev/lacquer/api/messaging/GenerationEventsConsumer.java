package dev.lacquer.api.messaging;

import dev.lacquer.api.job.service.JobEventService;
import dev.lacquer.api.observability.JobIdLogContext;
import dev.lacquer.api.problem.DatabaseOutage;
import dev.lacquer.model.event.GenerationEvent;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.MDC;

/**
 * Applies the worker's events to jobs, a poll's batch at a time, in partition order (one job's
 * events share a partition). A batch is applied in one transaction; if that fails, its events are
 * applied one by one, each in its own transaction, so one event that cannot be applied never holds
 * back (or rolls back) the others. An unreadable record, or one that still fails after
 * {@value #MAX_APPLY_ATTEMPTS} attempts, goes to the dead-letter topic and the consumer moves on;
 * while the database is unreachable an event is retried, so nothing is skipped by an outage. The
 * offsets of a batch are committed only after the method returns, i.e. after its transactions
 * committed. The method only throws when the application stops mid-batch; the channel's
 * {@code fail} strategy then leaves the offsets uncommitted, so the batch is delivered again
 * (and its applied events are skipped as duplicates).
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
    public void consume(ConsumerRecords<String, String> records) {
        EventBatch batch = EventBatch.of(records, deadLetters::send);
        if (batch.isEmpty()) {
            return;
        }
        if (batch.entries().size() > 1) {
            try {
                jobEvents.applyAll(batch.events());
                Log.debugf("applied %d events in one transaction (%d progress events coalesced)",
                        batch.entries().size(), batch.coalesced());
                return;
            } catch (RuntimeException e) {
                if (shuttingDown) {
                    throw new IllegalStateException("shutting down before a batch of events was applied", e);
                }
                Log.warnf("a batch of %d events could not be applied together (%s); applying them one by one",
                        batch.entries().size(), e.getMessage());
            }
        }
        for (EventBatch.Entry entry : batch.entries()) {
            // Every line logged while this event is applied carries the job id (JSON field mdc.jobId).
            MDC.put(JobIdLogContext.KEY, entry.event().jobId().toString());
            try {
                applyWithRetries(entry.record(), entry.event());
            } finally {
                MDC.remove(JobIdLogContext.KEY);
            }
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
