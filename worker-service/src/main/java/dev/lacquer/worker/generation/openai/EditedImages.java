package dev.lacquer.worker.generation.openai;

import dev.lacquer.model.event.GenerationCompleted.Usage;
import java.util.List;

/** A successful image edit: the decoded image bytes in answer order, token usage and the provider's request id. */
record EditedImages(List<byte[]> images, Usage usage, String requestId) {

    EditedImages {
        images = List.copyOf(images);
        usage = usage == null ? Usage.none() : usage;
    }
}
