package dev.lacquer.model.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON form of events on Kafka. Unknown properties are ignored so producers can add
 * fields without breaking older consumers; a record without a known {@code type} cannot be read.
 */
public final class EventCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .build();

    private EventCodec() {
    }

    public static String encode(GenerationEvent event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Event cannot be written as JSON: " + event.type(), e);
        }
    }

    /**
     * Reads one event.
     *
     * @throws UnreadableEventException when the text is not JSON, has no known type or misses required fields
     */
    public static GenerationEvent decode(String json) {
        if (json == null || json.isBlank()) {
            throw new UnreadableEventException("empty record");
        }
        try {
            GenerationEvent event = MAPPER.readValue(json, GenerationEvent.class);
            if (event.eventId() == null || event.jobId() == null || event.userId() == null) {
                throw new UnreadableEventException("eventId, jobId and userId are required");
            }
            return event;
        } catch (JsonProcessingException e) {
            throw new UnreadableEventException(e.getOriginalMessage());
        }
    }

    /** A record on a Lacquer topic that is not a readable event: it belongs on the dead-letter topic. */
    public static final class UnreadableEventException extends RuntimeException {
        public UnreadableEventException(String reason) {
            super(reason);
        }
    }
}
