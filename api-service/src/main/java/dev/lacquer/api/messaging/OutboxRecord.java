package dev.lacquer.api.messaging;

import dev.lacquer.model.event.GenerationRequested;
import java.util.UUID;

/** One claimed outbox row: a record for Kafka ({@code key} = job id) and the trace it was written in. */
public record OutboxRecord(long id, UUID eventId, String topic, String key, String eventType, String payload,
                           String traceParent) {

    /** The job whose request this is, or null when the record is another kind of message. */
    public UUID requestedJob() {
        return GenerationRequested.TYPE.equals(eventType) ? UUID.fromString(key) : null;
    }
}
