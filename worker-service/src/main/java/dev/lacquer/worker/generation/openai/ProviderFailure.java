package dev.lacquer.worker.generation.openai;

import dev.lacquer.model.ErrorCode;
import dev.lacquer.worker.generation.GenerationException;
import java.time.Duration;

/**
 * One failed model call, classified. {@link Kind#retriedHere()} kinds are tried again inside the worker; what is left
 * after the retry budget becomes a {@link GenerationException} with a stable code. The message names the status,
 * the provider's error code and request id, never the prompt or the image.
 */
final class ProviderFailure extends RuntimeException {

    /** What kind of failure, and what becomes of the job. */
    enum Kind {
        /** 400 moderation_blocked: the prompt or photo was refused; the same input is refused again. */
        CONTENT_POLICY(ErrorCode.CONTENT_POLICY, false, false, "content_policy"),
        /** 400 (and 413, 415, 422) other than moderation: a bad image or parameter. */
        INVALID_INPUT(ErrorCode.INVALID_INPUT, false, false, "invalid_input"),
        /** 401, 403, 404: our key, organisation, model or base URL is wrong. Loud in logs and metrics. */
        CONFIGURATION(ErrorCode.PROVIDER_CONFIGURATION, false, false, "configuration"),
        /** 429 insufficient_quota: the account has no money left; waiting minutes does not help. */
        QUOTA(ErrorCode.PROVIDER_QUOTA, false, false, "quota"),
        /** 429 rate_limit_exceeded: wait as told, pausing every call of this worker, then try again. */
        RATE_LIMITED(ErrorCode.PROVIDER_UNAVAILABLE, true, true, "rate_limited"),
        /** 408, 409, 5xx, connection failures, timeouts, unreadable answers: try again with backoff. */
        UNAVAILABLE(ErrorCode.PROVIDER_UNAVAILABLE, true, true, "unavailable");

        private final ErrorCode code;
        private final boolean retryable;
        private final boolean retriedHere;
        private final String tag;

        Kind(ErrorCode code, boolean retryable, boolean retriedHere, String tag) {
            this.code = code;
            this.retryable = retryable;
            this.retriedHere = retriedHere;
            this.tag = tag;
        }

        ErrorCode code() {
            return code;
        }

        /** Whether the API may request the job again as its next attempt once this worker gave up. */
        boolean retryable() {
            return retryable;
        }

        /** Whether this worker tries the call again itself. */
        boolean retriedHere() {
            return retriedHere;
        }

        /** The {@code outcome} tag of the call metric. */
        String tag() {
            return tag;
        }
    }

    private final Kind kind;
    private final int status;
    private final String providerCode;
    private final Duration retryAfter;
    private final String requestId;

    ProviderFailure(Kind kind, int status, String providerCode, Duration retryAfter, String requestId, String detail,
                    Throwable cause) {
        super(detail, cause, false, false);
        this.kind = kind;
        this.status = status;
        this.providerCode = providerCode;
        this.retryAfter = retryAfter;
        this.requestId = requestId;
    }

    /** A failure without an HTTP answer: connection refused or reset, timeout. */
    static ProviderFailure transport(String what, Throwable cause) {
        return new ProviderFailure(Kind.UNAVAILABLE, 0, null, null, null, what, cause);
    }

    Kind kind() {
        return kind;
    }

    /** The HTTP status, 0 when there was no answer. */
    int status() {
        return status;
    }

    /** The provider's {@code error.code} (or {@code error.type}), or null. */
    String providerCode() {
        return providerCode;
    }

    /** How long the provider asked us to wait, or null. */
    Duration retryAfter() {
        return retryAfter;
    }

    String requestId() {
        return requestId;
    }

    GenerationException toGenerationException() {
        return new GenerationException(kind.code(), kind.retryable(), getMessage(), this);
    }
}
