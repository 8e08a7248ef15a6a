package dev.lacquer.model.event;

import dev.lacquer.model.DesignSettings;
import java.time.Instant;
import java.util.UUID;

/** API → worker: generate {@code imageCount} designs for a job. The photo is referenced by object key. */
public record GenerationRequested(UUID eventId, String type, UUID jobId, String userId, int attempt, Instant occurredAt,
                                  String prompt, DesignSettings designSettings, String originalImageKey,
                                  String originalImageContentType, int imageCount, ModelOptions modelOptions)
        implements GenerationEvent {

    public static final String TYPE = "GenerationRequested";

    public GenerationRequested {
        type = TYPE;
    }

    public static GenerationRequested of(UUID jobId, String userId, int attempt, String prompt, DesignSettings settings,
                                         String originalImageKey, String originalImageContentType, int imageCount,
                                         ModelOptions modelOptions) {
        return new GenerationRequested(UUID.randomUUID(), TYPE, jobId, userId, attempt, Instant.now(), prompt, settings,
                originalImageKey, originalImageContentType, imageCount, modelOptions);
    }
}
