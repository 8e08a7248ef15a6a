package dev.lacquer.api.look;

import dev.lacquer.model.DesignSettings;
import java.time.Instant;
import java.util.UUID;

/** A look as clients see it: image URLs plus everything needed to remix or edit it. */
public record LookView(UUID lookId, UUID jobId, int imageIndex, String imageUrl, String thumbnailUrl,
                       String originalImage, String prompt, DesignSettings designSettings, String model,
                       String promptTemplateVersion, Instant createdAt) {
}
