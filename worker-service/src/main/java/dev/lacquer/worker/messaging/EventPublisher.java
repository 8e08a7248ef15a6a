package dev.lacquer.worker.messaging;

import dev.lacquer.model.event.CloudEventHeaders;
import dev.lacquer.model.event.EventCodec;
import dev.lacquer.model.event.GenerationEvent;
import dev.lacquer.worker.config.WorkerConfig;
import dev.lacquer.worker.retry.Backoff;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Sends worker events to {@code generation.events}: key = job id, value = the event's JSON, CloudEvents attributes
 * as headers. {@link #publish} returns only once the broker acknowledged the record, so what follows it (generating
 * after "started", committing the request after "completed") never gets ahead of the event.
 */
@ApplicationScoped
public class EventPublisher {

    public static final String SOURCE = "/lacquer/worker";

    /** Longer than the producer's own delivery timeout: a send that outlives it is treated as failed and sent again. */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(90);

    private final Emitter<String> emitter;
    private final Backoff backoff;
    private final JobTraces traces;

    EventPublisher(@Channel(Channels.EVENTS) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
                   Emitter<String> emitter, WorkerConfig config, JobTraces traces) {
        this.emitter = emitter;
        this.backoff = Backoff.of(config.retry());
        this.traces = traces;
    }

    /** Sends one event; the stage completes when the broker acknowledged it, or fails with the reason it did not. */
    public CompletionStage<Void> send(GenerationEvent event) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        RecordHeaders headers = new RecordHeaders();
        for (Map.Entry<String, String> header : CloudEventHeaders.of(event, SOURCE).entrySet()) {
            headers.add(header.getKey(), header.getValue().getBytes(StandardCharsets.UTF_8));
        }
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(event.jobId().toString())
                .withHeaders(headers)
                .build();
        // In the trace of the job's request, when tracing is on (JobTraces).
        Metadata metadataSet = traces.parentFor(event.jobId()).map(tracing -> Metadata.of(metadata, tracing))
                .orElse(Metadata.of(metadata));
        Message<String> message = Message.of(EventCodec.encode(event), metadataSet,
                () -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                },
                failure -> {
                    acked.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(message);
        } catch (RuntimeException e) {
            acked.completeExceptionally(e);
        }
        return acked;
    }

    /**
     * Sends one event and waits for the broker's acknowledgement, sending it again (same event id, so consumers
     * deduplicate) after failures, with backoff, for as long as it takes.
     *
     * @throws InterruptedException when the calling thread is interrupted (job canceled or worker stopping)
     */
    public void publish(GenerationEvent event) throws InterruptedException {
        begin(event).awaitAcknowledged();
    }

    /**
     * Sends one event now and lets the caller do other work while it travels; {@link Publishing#awaitAcknowledged}
     * then waits as {@link #publish} does. Nothing of the same job may be sent before that wait returned.
     */
    public Publishing begin(GenerationEvent event) {
        return new Publishing(event, send(event));
    }

    /** An event on its way to the broker. */
    public final class Publishing {
        private final GenerationEvent event;
        private CompletionStage<Void> sent;

        private Publishing(GenerationEvent event, CompletionStage<Void> sent) {
            this.event = event;
            this.sent = sent;
        }

        /**
         * Returns once the broker acknowledged the event, sending it again after failures, with backoff.
         *
         * @throws InterruptedException when the calling thread is interrupted (job canceled or worker stopping)
         */
        public void awaitAcknowledged() throws InterruptedException {
            for (int attempt = 1; ; attempt++) {
                try {
                    sent.toCompletableFuture().get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    Log.debugf("job %s: %s %s acknowledged", event.jobId(), event.type(), event.eventId());
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    Duration wait = backoff.delay(attempt);
                    Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                    Log.warnf("job %s: %s not acknowledged (try %d), sending again in %d ms: %s", event.jobId(),
                            event.type(), attempt, wait.toMillis(), cause);
                    Thread.sleep(wait);
                    sent = send(event);
                }
            }
        }
    }
}
