package dev.lacquer.model.event;

import java.time.Instant;
import java.util.UUID;

/** Worker → API: generation of this attempt has begun. The API charges the job's credits on the first one. */
public record GenerationStarted(UUID eventId, String type, UUID jobId, String userId, int attempt, Instant occurredAt,
                                String workerId) implements GenerationEvent {

    public static final String TYPE = "GenerationStarted";

    public GenerationStarted {
        type = TYPE;
    }

    public static GenerationStarted of(UUID jobId, String userId, int attempt, String workerId) {
        return new GenerationStarted(UUID.randomUUID(), TYPE, jobId, userId, attempt, Instant.now(), workerId);
    }
}
