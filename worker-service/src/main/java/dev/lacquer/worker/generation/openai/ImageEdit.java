package dev.lacquer.worker.generation.openai;

import java.util.Objects;
import java.util.UUID;

/**
 * One image edit call: the photo with its real content type, the composed prompt and the model parameters.
 * {@code jobId} is for log lines only and never sent.
 */
record ImageEdit(UUID jobId, byte[] image, String imageType, String prompt, int n, String model, String size,
                 String quality) {

    ImageEdit {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(imageType, "imageType");
        if (n < 1 || n > 10) {
            throw new IllegalArgumentException("n must be 1..10");
        }
    }

    /** A file name whose extension matches the content type, as the SDKs send it. */
    String fileName() {
        return switch (imageType) {
            case PhotoTypes.JPEG -> "photo.jpg";
            case PhotoTypes.WEBP -> "photo.webp";
            default -> "photo.png";
        };
    }
}
