package dev.lacquer.api.job.service;

import dev.lacquer.api.config.LacquerConfig;
import dev.lacquer.api.job.rest.CreateJobRequest;
import dev.lacquer.api.photo.Photo;
import dev.lacquer.api.photo.PhotoDecoder;
import dev.lacquer.api.problem.ApiProblem;
import dev.lacquer.api.problem.Problem.FieldError;
import dev.lacquer.model.DesignSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Checks a create request against the documented schema (README, "Design settings") and
 * answers every invalid field at once. Runs before anything is stored or reserved.
 */
@ApplicationScoped
public class NewJobValidator {

    public static final int MAX_PROMPT_LENGTH = 1000;

    private final LacquerConfig config;
    private final PhotoDecoder photos;

    NewJobValidator(LacquerConfig config, PhotoDecoder photos) {
        this.config = config;
        this.photos = photos;
    }

    public NewJob validate(CreateJobRequest request) {
        if (request == null) {
            throw ApiProblem.badRequest("A JSON body with prompt and originalImage is required.");
        }
        String image = request.originalImage();
        return validate(request.prompt(), request.designSettings(), request.imageCount(), List.of(),
                image == null || image.isBlank() ? null : () -> photos.fromDataUrl(image),
                "is required: a data URL of a PNG, JPEG or WebP photo");
    }

    /**
     * The multipart form of the same request: the fields as read from the form (with the errors found reading them)
     * and the photo file part, or null when it is missing.
     */
    public NewJob validate(String prompt, DesignSettings designSettings, Integer imageCount,
                           List<FieldError> formErrors, Supplier<Photo> photo) {
        return validate(prompt, designSettings, imageCount, formErrors, photo,
                "is required: a PNG, JPEG or WebP file part");
    }

    private NewJob validate(String rawPrompt, DesignSettings designSettings, Integer requestedCount,
                            List<FieldError> formErrors, Supplier<Photo> photo, String photoMissing) {
        List<FieldError> errors = new ArrayList<>(formErrors);
        String prompt = rawPrompt == null ? "" : rawPrompt.strip();
        if (prompt.isEmpty()) {
            errors.add(new FieldError("prompt", "is required"));
        } else if (prompt.length() > MAX_PROMPT_LENGTH) {
            errors.add(new FieldError("prompt", "must be at most " + MAX_PROMPT_LENGTH + " characters"));
        }
        int imageCount = requestedCount == null ? config.jobs().defaultImageCount() : requestedCount;
        if (imageCount < 1 || imageCount > config.jobs().maxImageCount()) {
            errors.add(new FieldError("imageCount", "must be between 1 and " + config.jobs().maxImageCount()));
        }
        DesignSettings settings = designSettings == null ? DesignSettings.none() : designSettings;
        validateSettings(settings, errors);
        if (photo == null) {
            errors.add(new FieldError("originalImage", photoMissing));
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        return new NewJob(prompt, normalise(settings), imageCount, photo.get());
    }

    private static void validateSettings(DesignSettings s, List<FieldError> errors) {
        oneOf("designSettings.shape", s.shape(), DesignSettings.SHAPES, errors);
        oneOf("designSettings.length", s.length(), DesignSettings.LENGTHS, errors);
        oneOf("designSettings.finish", s.finish(), DesignSettings.FINISHES, errors);
        if (s.colors() != null) {
            if (s.colors().size() > DesignSettings.MAX_COLORS) {
                errors.add(new FieldError("designSettings.colors", "at most " + DesignSettings.MAX_COLORS + " colours"));
            }
            for (int i = 0; i < s.colors().size(); i++) {
                String color = s.colors().get(i);
                if (color == null || !color.matches(DesignSettings.COLOR_PATTERN)) {
                    errors.add(new FieldError("designSettings.colors[" + i + "]", "must be a colour like #ff3366"));
                }
            }
        }
        if (s.style() != null && s.style().strip().length() > DesignSettings.MAX_STYLE_LENGTH) {
            errors.add(new FieldError("designSettings.style",
                    "must be at most " + DesignSettings.MAX_STYLE_LENGTH + " characters"));
        }
    }

    private static void oneOf(String field, String value, List<String> allowed, List<FieldError> errors) {
        if (value != null && !allowed.contains(value)) {
            errors.add(new FieldError(field, "must be one of " + String.join(", ", allowed)));
        }
    }

    private static DesignSettings normalise(DesignSettings s) {
        String style = s.style() == null || s.style().isBlank() ? null : s.style().strip();
        List<String> colors = s.colors() == null ? null
                : s.colors().stream().map(c -> c.toLowerCase(java.util.Locale.ROOT)).toList();
        return new DesignSettings(s.shape(), s.length(), s.finish(), colors, style);
    }
}
