package dev.lacquer.model.event;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Worker → API: every image is stored. {@code resultImageKeys.get(i)} is image {@code i};
 * {@code thumbnailKeys} has the same order. {@code fromStorage} is true when a redelivered
 * request was answered from results already stored, without calling the model again.
 */
public record GenerationCompleted(UUID eventId, String type, UUID jobId, String userId, int attempt,
                                  Instant occurredAt, List<String> resultImageKeys, List<String> thumbnailKeys,
                                  String model, String promptTemplateVersion, long generationMillis, Usage usage,
                                  String providerRequestId, boolean fromStorage) implements GenerationEvent {

    public static final String TYPE = "GenerationCompleted";

    public GenerationCompleted {
        type = TYPE;
        resultImageKeys = List.copyOf(resultImageKeys);
        thumbnailKeys = thumbnailKeys == null ? List.of() : List.copyOf(thumbnailKeys);
    }

    /** Token usage reported by the model provider; null fields when the generator has none. */
    public record Usage(Long inputTokens, Long outputTokens, Long totalTokens) {
        public static Usage none() {
            return new Usage(null, null, null);
        }
    }
}
