package dev.lacquer.api.problem;

import java.util.List;

/** Thrown by services to answer the client with a problem document; never carries internals. */
public class ApiProblem extends RuntimeException {

    private final int status;
    private final String title;
    private final String slug;
    private final List<Problem.FieldError> errors;
    private final Long retryAfterSeconds;
    private final Credits credits;

    /** The credits a create needed and those the user had available, for an insufficient-credits problem. */
    public record Credits(long needed, long available) {
    }

    public ApiProblem(int status, String slug, String title, String detail) {
        this(status, slug, title, detail, null, null, null);
    }

    private ApiProblem(int status, String slug, String title, String detail, List<Problem.FieldError> errors,
                       Long retryAfterSeconds) {
        this(status, slug, title, detail, errors, retryAfterSeconds, null);
    }

    private ApiProblem(int status, String slug, String title, String detail, List<Problem.FieldError> errors,
                       Long retryAfterSeconds, Credits credits) {
        super(detail, null, false, false);
        this.credits = credits;
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.errors = errors;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiProblem unprocessable(String slug, String title, String detail) {
        return new ApiProblem(422, slug, title, detail);
    }

    public static ApiProblem validation(List<Problem.FieldError> errors) {
        return new ApiProblem(400, "validation", "Invalid request",
                "The request has " + errors.size() + " invalid field(s).", List.copyOf(errors), null);
    }

    public static ApiProblem badRequest(String detail) {
        return new ApiProblem(400, "bad-request", "Bad request", detail);
    }

    public static ApiProblem notFound(String what) {
        return new ApiProblem(404, "not-found", "Not found", what + " was not found.");
    }

    public static ApiProblem conflict(String detail) {
        return new ApiProblem(409, "conflict", "Conflict", detail);
    }

    public static ApiProblem insufficientCredits(long needed, long available) {
        long shown = Math.max(0, available);
        return new ApiProblem(402, "insufficient-credits", "Insufficient credits",
                "This generation needs " + needed + " credits; you have " + shown + " available.", null, null,
                new Credits(needed, shown));
    }

    public static ApiProblem tooLarge(String detail) {
        return new ApiProblem(413, "payload-too-large", "Payload too large", detail);
    }

    public static ApiProblem unsupportedMediaType(String detail) {
        return new ApiProblem(415, "unsupported-media-type", "Unsupported media type", detail);
    }

    public static ApiProblem tooManyRequests(String detail, long retryAfterSeconds) {
        return new ApiProblem(429, "too-many-requests", "Too many requests", detail, null, retryAfterSeconds);
    }

    public static ApiProblem unauthorized(String detail) {
        return new ApiProblem(401, "unauthorized", "Unauthorized", detail);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String slug() {
        return slug;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** Set on an insufficient-credits problem only. */
    public Credits credits() {
        return credits;
    }
}
