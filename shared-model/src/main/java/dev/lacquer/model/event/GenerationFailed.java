package dev.lacquer.model.event;

import dev.lacquer.model.ErrorCode;
import java.time.Instant;
import java.util.UUID;

/**
 * Worker → API: this attempt failed. {@code retryable} says whether requesting the job again
 * may succeed (the API does so while attempts remain) or the failure is final.
 */
public record GenerationFailed(UUID eventId, String type, UUID jobId, String userId, int attempt, Instant occurredAt,
                               ErrorCode errorCode, String userMessage, boolean retryable, String detail)
        implements GenerationEvent {

    public static final String TYPE = "GenerationFailed";

    public GenerationFailed {
        type = TYPE;
    }

    public static GenerationFailed of(UUID jobId, String userId, int attempt, ErrorCode code, boolean retryable,
                                      String detail) {
        return new GenerationFailed(UUID.randomUUID(), TYPE, jobId, userId, attempt, Instant.now(), code,
                code.userMessage(), retryable, detail);
    }
}
