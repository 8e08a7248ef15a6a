package dev.lacquer.worker.generation;

import dev.lacquer.model.event.GenerationCompleted.Usage;
import java.util.List;

/**
 * A generator's answer: the images in request order, and what to report about how they were made.
 *
 * @param model                 the model that drew them, as reported to the API ({@code local-renderer} for the local one)
 * @param promptTemplateVersion the version of the prompt template used
 * @param usage                 token usage reported by the provider, {@link Usage#none()} when it has none
 * @param providerRequestId     the provider's request id for support cases, or null
 */
public record GeneratedDesigns(List<GeneratedImage> images, String model, String promptTemplateVersion, Usage usage,
                               String providerRequestId) {

    public GeneratedDesigns {
        images = List.copyOf(images);
        usage = usage == null ? Usage.none() : usage;
    }

    /** One PNG image with its size in pixels. */
    public record GeneratedImage(byte[] png, int width, int height) {
    }
}
