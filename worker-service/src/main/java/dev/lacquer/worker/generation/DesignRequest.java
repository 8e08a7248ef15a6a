package dev.lacquer.worker.generation;

import dev.lacquer.model.DesignSettings;
import dev.lacquer.model.event.ModelOptions;
import java.util.Objects;
import java.util.UUID;

/**
 * What a generator needs for one job: the user's prompt and design settings, the original photo, how many
 * images to make and how to ask the model. {@code jobId} is for log lines and provider request metadata only.
 */
public record DesignRequest(UUID jobId, String prompt, DesignSettings settings, Photo photo, int imageCount,
                            ModelOptions modelOptions, GenerationListener listener) {

    public DesignRequest {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(photo, "photo");
        prompt = prompt == null ? "" : prompt;
        settings = settings == null ? DesignSettings.none() : settings;
        modelOptions = modelOptions == null ? ModelOptions.defaults() : modelOptions;
        listener = listener == null ? GenerationListener.NONE : listener;
        if (imageCount < 1) {
            throw new IllegalArgumentException("imageCount must be at least 1");
        }
    }

    /** The original photo as stored by the API. */
    public record Photo(byte[] bytes, String contentType) {
        public Photo {
            Objects.requireNonNull(bytes, "bytes");
        }
    }
}
