package dev.lacquer.api.messaging;

import dev.lacquer.api.job.service.JobEventService;
import dev.lacquer.model.event.EventCodec;
import dev.lacquer.model.event.GenerationEvent;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Applies the worker's events to jobs, in partition order (one job's events share a partition).
 * An unreadable record goes to the dead-letter topic and the consumer moves on; while the
 * database is unreachable the record is retried, so nothing is skipped by an outage.
 */
@ApplicationScoped
public class GenerationEventsConsumer {

    private static final int MAX_APPLY_ATTEMPTS = 5;
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final JobEventService jobEvents;
    private final DeadLetters deadLetters;

    GenerationEventsConsumer(JobEventService jobEvents, DeadLetters deadLetters) {
        this.jobEvents = jobEvents;
        this.deadLetters = deadLetters;
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
        long backoff = 100;
        for (int attempt = 1; ; attempt++) {
            try {
                jobEvents.apply(event);
                return;
            } catch (RuntimeException e) {
                boolean outage = isOutage(e);
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

    /** The database or the pool is unreachable: wait for it rather than give the event up. */
    private static boolean isOutage(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
            if (cause.getClass().getSimpleName().contains("JDBCConnectionException")) {
                return true;
            }
        }
        return false;
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
