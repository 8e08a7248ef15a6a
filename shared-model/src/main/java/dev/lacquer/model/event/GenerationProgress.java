package dev.lacquer.model.event;

import java.time.Instant;
import java.util.UUID;

/** Worker → API: a heartbeat while generating; extends the job's lease and carries progress for live clients. */
public record GenerationProgress(UUID eventId, String type, UUID jobId, String userId, int attempt, Instant occurredAt,
                                 int imagesDone, int imageCount, int percent) implements GenerationEvent {

    public static final String TYPE = "GenerationProgress";

    public GenerationProgress {
        type = TYPE;
    }

    public static GenerationProgress of(UUID jobId, String userId, int attempt, int imagesDone, int imageCount,
                                        int percent) {
        return new GenerationProgress(UUID.randomUUID(), TYPE, jobId, userId, attempt, Instant.now(), imagesDone,
                imageCount, percent);
    }
}
