package dev.lacquer.api.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem document; {@code errors} lists field errors of a validation problem; {@code needed} and
 * {@code available} are the credits of an insufficient-credits problem, so a client can say them in its own words.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance,
                      List<FieldError> errors, String errorId, Long needed, Long available) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors,
                   String errorId) {
        this(type, title, status, detail, instance, errors, errorId, null, null);
    }

    public record FieldError(String field, String message) {
    }
}
