package dev.lacquer.api.messaging;

import dev.lacquer.api.observability.TraceContexts;
import dev.lacquer.model.event.CloudEventHeaders;
import dev.lacquer.model.event.EventCodec;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Sends outbox records on the {@code generation-requests} channel (acks=all, idempotent producer): the row's topic and
 * key (the job id), CloudEvents headers, and the trace of the request that wrote the row.
 */
@ApplicationScoped
public class KafkaOutboxSender implements OutboxSender {

    static final String CHANNEL = "generation-requests";
    private static final String SOURCE = "/lacquer/api";

    private final MutinyEmitter<String> emitter;

    KafkaOutboxSender(@Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
                      MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    @Override
    public CompletionStage<Void> send(OutboxRecord record) {
        return emitter.sendMessage(toMessage(record)).subscribeAsCompletionStage();
    }

    private static Message<String> toMessage(OutboxRecord record) {
        RecordHeaders headers = new RecordHeaders();
        CloudEventHeaders.of(EventCodec.decode(record.payload()), SOURCE)
                .forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(record.topic())
                .withKey(record.key())
                .withHeaders(headers)
                .build();
        Message<String> message = Message.of(record.payload()).addMetadata(metadata);
        // Published inside the trace of the request that wrote the row, when there was one.
        return TraceContexts.parentOf(record.traceParent()).map(message::addMetadata).orElse(message);
    }
}
