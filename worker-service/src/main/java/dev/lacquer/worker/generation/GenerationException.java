package dev.lacquer.worker.generation;

import dev.lacquer.model.ErrorCode;

/**
 * A generation failure the generator can name: the job fails with {@link #code()}, and {@link #retryable()} tells
 * the API whether requesting the job again may succeed. The message is for operators, never shown to users.
 */
public class GenerationException extends RuntimeException {

    private final ErrorCode code;
    private final boolean retryable;

    public GenerationException(ErrorCode code, boolean retryable, String message) {
        this(code, retryable, message, null);
    }

    public GenerationException(ErrorCode code, boolean retryable, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.retryable = retryable;
    }

    public ErrorCode code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }

    /** The photo or a parameter cannot be used: trying again with the same input cannot succeed. */
    public static GenerationException invalidInput(String message) {
        return new GenerationException(ErrorCode.INVALID_INPUT, false, message);
    }
}
