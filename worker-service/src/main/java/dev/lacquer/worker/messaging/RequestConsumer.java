package dev.lacquer.worker.messaging;

import dev.lacquer.model.Topics;
import dev.lacquer.model.event.EventCodec;
import dev.lacquer.model.event.EventCodec.UnreadableEventException;
import dev.lacquer.model.event.GenerationCancelRequested;
import dev.lacquer.model.event.GenerationEvent;
import dev.lacquer.model.event.GenerationRequested;
import dev.lacquer.worker.job.JobRunner;
import dev.lacquer.worker.metrics.WorkerMetrics;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The intake from {@code generation.requests}. Records are taken one after the other, but a request only waits here
 * until its job has a slot and has started, so many jobs run at once while the intake stays bounded. Records that
 * cannot be read are nacked: the connector's dead-letter strategy copies them, key, value and headers, to
 * {@code generation.requests.dlq} with {@code dead-letter-reason}, {@code -topic}, {@code -partition} and
 * {@code -offset} headers, then commits past them.
 */
@ApplicationScoped
public class RequestConsumer {

    private final JobRunner jobs;
    private final WorkerMetrics metrics;
    private final JobTraces traces;

    RequestConsumer(JobRunner jobs, WorkerMetrics metrics, JobTraces traces) {
        this.jobs = jobs;
        this.metrics = metrics;
        this.traces = traces;
    }

    @Incoming(Channels.REQUESTS)
    public CompletionStage<Void> onRecord(Message<String> message) {
        GenerationEvent event;
        try {
            event = EventCodec.decode(message.getPayload());
        } catch (UnreadableEventException e) {
            return deadLetter(message, "unreadable record: " + e.getMessage());
        }
        return switch (event) {
            case GenerationRequested request -> {
                Log.debugf("job %s: requested (attempt %d)", request.jobId(), request.attempt());
                traces.remember(request.jobId(), message);
                yield jobs.admit(request, message).exceptionallyCompose(failure -> {
                    Log.errorf(failure, "job %s: could not be started", request.jobId());
                    return CompletableFuture.completedFuture(null);
                });
            }
            case GenerationCancelRequested cancel -> {
                jobs.cancel(cancel);
                yield message.ack();
            }
            default -> deadLetter(message, "unexpected event type " + event.type() + " on " + Topics.REQUESTS);
        };
    }

    private CompletionStage<Void> deadLetter(Message<String> message, String reason) {
        metrics.unreadableRequest();
        Log.warnf("dead-lettering the record at %s: %s", position(message), reason);
        return message.nack(new UnreadableRequestException(reason)).exceptionally(failure -> {
            Log.errorf(failure, "could not dead-letter the record at %s", position(message));
            return null;
        });
    }

    private static String position(Message<?> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> m.getTopic() + "-" + m.getPartition() + "@" + m.getOffset())
                .orElse("?");
    }

    /** Why a record went to the dead-letter topic; its message becomes the {@code dead-letter-reason} header. */
    public static final class UnreadableRequestException extends RuntimeException {
        public UnreadableRequestException(String reason) {
            super(reason, null, false, false);
        }
    }
}
