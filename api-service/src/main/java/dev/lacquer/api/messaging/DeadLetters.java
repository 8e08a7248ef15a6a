package dev.lacquer.api.messaging;

import dev.lacquer.api.observability.MeterSetup;
import dev.lacquer.model.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Moves worker events that cannot be applied to {@code generation.events.dlq}, with the reason in headers. */
@ApplicationScoped
public class DeadLetters {

    public static final String REASON = "dead-letter-reason";
    public static final String ORIGINAL_TOPIC = "dead-letter-topic";
    public static final String ORIGINAL_PARTITION = "dead-letter-partition";
    public static final String ORIGINAL_OFFSET = "dead-letter-offset";

    private final MutinyEmitter<String> emitter;
    private final MeterRegistry metrics;

    DeadLetters(@Channel("events-dead-letters") MutinyEmitter<String> emitter, MeterRegistry metrics) {
        this.emitter = emitter;
        this.metrics = metrics;
    }

    public void send(ConsumerRecord<String, String> record, String reason) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            headers.add(header);
        }
        headers.add(REASON, bytes(reason == null ? "unknown" : reason));
        headers.add(ORIGINAL_TOPIC, bytes(record.topic()));
        headers.add(ORIGINAL_PARTITION, bytes(Integer.toString(record.partition())));
        headers.add(ORIGINAL_OFFSET, bytes(Long.toString(record.offset())));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(record.key()).withHeaders(headers).build();
        emitter.sendMessage(Message.of(record.value() == null ? "" : record.value()).addMetadata(metadata))
                .await().atMost(Duration.ofSeconds(30));
        metrics.counter(MeterSetup.DEAD_LETTERS, "topic", Topics.EVENTS_DLQ).increment();
        Log.warnf("dead-lettered %s-%d@%d (key %s): %s", record.topic(), record.partition(), record.offset(),
                record.key(), reason);
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
