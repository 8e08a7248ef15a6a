package dev.lacquer.model.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lacquer.model.DesignSettings;
import dev.lacquer.model.ErrorCode;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    private final UUID jobId = UUID.randomUUID();

    @Test
    void requestSurvivesTheRoundTripWithItsTypeInTheJson() {
        var settings = new DesignSettings("almond", "medium", "glossy", List.of("#ff0066"), "french tips");
        var sent = GenerationRequested.of(jobId, "user-1", 1, "pink chrome", settings, "originals/user-1/" + jobId,
                "image/png", 2, ModelOptions.defaults());

        String json = EventCodec.encode(sent);

        assertTrue(json.contains("\"type\":\"GenerationRequested\""), json);
        assertEquals(sent, EventCodec.decode(json));
    }

    @Test
    void everyEventTypeIsReadBackAsItsRecord() {
        List<GenerationEvent> events = List.of(
                GenerationStarted.of(jobId, "u", 1, "worker-a"),
                GenerationProgress.of(jobId, "u", 1, 1, 2, 50),
                new GenerationCompleted(UUID.randomUUID(), null, jobId, "u", 1, java.time.Instant.now(),
                        List.of("a.png", "b.png"), List.of("ta.png", "tb.png"), "local-renderer", "v1", 12,
                        GenerationCompleted.Usage.none(), null, false),
                GenerationFailed.of(jobId, "u", 2, ErrorCode.CONTENT_POLICY, false, "moderation_blocked"),
                GenerationCanceled.of(jobId, "u", 1),
                GenerationCancelRequested.of(jobId, "u", 1));

        for (GenerationEvent event : events) {
            GenerationEvent read = EventCodec.decode(EventCodec.encode(event));
            assertEquals(event, read);
            assertInstanceOf(event.getClass(), read);
        }
    }

    @Test
    void unknownTypesAndBrokenJsonAreUnreadable() {
        assertThrows(EventCodec.UnreadableEventException.class, () -> EventCodec.decode("{not json"));
        assertThrows(EventCodec.UnreadableEventException.class,
                () -> EventCodec.decode("{\"type\":\"Nope\",\"eventId\":\"" + UUID.randomUUID() + "\"}"));
        assertThrows(EventCodec.UnreadableEventException.class,
                () -> EventCodec.decode("{\"type\":\"GenerationStarted\"}"));
        assertThrows(EventCodec.UnreadableEventException.class, () -> EventCodec.decode(""));
    }

    @Test
    void cloudEventHeadersNameTheEvent() {
        var started = GenerationStarted.of(jobId, "u", 1, "w");
        var headers = CloudEventHeaders.of(started, "/lacquer/worker");
        assertEquals(started.eventId().toString(), headers.get(CloudEventHeaders.ID));
        assertEquals("dev.lacquer.GenerationStarted", headers.get(CloudEventHeaders.TYPE));
        assertEquals("/lacquer/worker", headers.get(CloudEventHeaders.SOURCE));
        assertEquals(jobId.toString(), headers.get(CloudEventHeaders.SUBJECT));
    }
}
