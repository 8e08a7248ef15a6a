package dev.lacquer.model.event;

import java.time.Instant;
import java.util.UUID;

/** Worker → API: the worker abandoned this job's generation after a cancel request. */
public record GenerationCanceled(UUID eventId, String type, UUID jobId, String userId, int attempt,
                                 Instant occurredAt) implements GenerationEvent {

    public static final String TYPE = "GenerationCanceled";

    public GenerationCanceled {
        type = TYPE;
    }

    public static GenerationCanceled of(UUID jobId, String userId, int attempt) {
        return new GenerationCanceled(UUID.randomUUID(), TYPE, jobId, userId, attempt, Instant.now());
    }
}
