package dev.lacquer.api.job.service;

import dev.lacquer.api.config.LacquerConfig;
import dev.lacquer.api.job.rest.CreateJobRequest;
import dev.lacquer.api.photo.PhotoDecoder;
import dev.lacquer.api.problem.ApiProblem;
import dev.lacquer.api.problem.Problem.FieldError;
import dev.lacquer.model.DesignSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

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
        List<FieldError> errors = new ArrayList<>();
        String prompt = request.prompt() == null ? "" : request.prompt().strip();
        if (prompt.isEmpty()) {
            errors.add(new FieldError("prompt", "is required"));
        } else if (prompt.length() > MAX_PROMPT_LENGTH) {
            errors.add(new FieldError("prompt", "must be at most " + MAX_PROMPT_LENGTH + " characters"));
        }
        int imageCount = request.imageCount() == null ? config.jobs().defaultImageCount() : request.imageCount();
        if (imageCount < 1 || imageCount > config.jobs().maxImageCount()) {
            errors.add(new FieldError("imageCount", "must be between 1 and " + config.jobs().maxImageCount()));
        }
        DesignSettings settings = request.designSettings() == null ? DesignSettings.none() : request.designSettings();
        validateSettings(settings, errors);
        if (request.originalImage() == null || request.originalImage().isBlank()) {
            errors.add(new FieldError("originalImage", "is required: a data URL of a PNG, JPEG or WebP photo"));
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        return new NewJob(prompt, normalise(settings), imageCount, photos.fromDataUrl(request.originalImage()));
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
