package dev.lacquer.model.event;

import java.time.Instant;
import java.util.UUID;

/** API → worker: the user canceled a job that is already generating; abandon it and report {@link GenerationCanceled}. */
public record GenerationCancelRequested(UUID eventId, String type, UUID jobId, String userId, int attempt,
                                        Instant occurredAt) implements GenerationEvent {

    public static final String TYPE = "GenerationCancelRequested";

    public GenerationCancelRequested {
        type = TYPE;
    }

    public static GenerationCancelRequested of(UUID jobId, String userId, int attempt) {
        return new GenerationCancelRequested(UUID.randomUUID(), TYPE, jobId, userId, attempt, Instant.now());
    }
}
