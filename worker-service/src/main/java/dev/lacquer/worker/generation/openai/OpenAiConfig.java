package dev.lacquer.worker.generation.openai;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The OpenAI image provider, under {@code lacquer.worker.openai}. Read only when {@code lacquer.worker.generator=openai};
 * the API key is required then and only then.
 */
@ConfigMapping(prefix = "lacquer.worker.openai")
public interface OpenAiConfig {

    /** Where the API is: OpenAI itself or any proxy that speaks its wire format. A trailing {@code /v1} is accepted. */
    @WithDefault("https://api.openai.com")
    String baseUrl();

    /** The secret key, sent as {@code Authorization: Bearer}. Never logged. */
    Optional<String> apiKey();

    /** Sent as {@code OpenAI-Organization} when set. */
    Optional<String> organization();

    /** Sent as {@code OpenAI-Project} when set. */
    Optional<String> project();

    /** The model, sent explicitly; a request's {@code modelOptions.model} overrides it. */
    @WithDefault("gpt-image-1")
    String model();

    /** {@code 1024x1024}, {@code 1536x1024}, {@code 1024x1536} or {@code auto}; a request's option overrides it. */
    @WithDefault("auto")
    String size();

    /** {@code low}, {@code medium}, {@code high} or {@code auto}; a request's option overrides it. */
    @WithDefault("medium")
    String quality();

    /** {@code high} keeps the hand closer to the photo (more input tokens); not sent when unset. */
    Optional<String> inputFidelity();

    /** The prompt template used when a request names none (see {@link PromptTemplates}). */
    @WithDefault(NailPromptV1.VERSION)
    String promptTemplate();

    /** Model calls in flight at once in this worker; further calls wait for a free place. */
    @WithDefault("4")
    int maxConcurrentCalls();

    @WithDefault("10s")
    Duration connectTimeout();

    /** How long one call may wait for the answer. Image edits take up to a few minutes: keep it at 180 s or more. */
    @WithDefault("240s")
    Duration readTimeout();

    Retry retry();

    RateLimit rateLimit();

    /** Tries of one model call after 5xx answers, lost connections, timeouts and rate limits. */
    interface Retry {
        /** Tries in all, the first included. */
        @WithDefault("4")
        int maxAttempts();

        @WithDefault("2s")
        Duration initialBackoff();

        @WithDefault("30s")
        Duration maxBackoff();

        @WithDefault("0.5")
        double jitter();

        /** No try starts once this long has passed since the first. */
        @WithDefault("10m")
        Duration maxElapsed();
    }

    /** How a 429 rate_limit_exceeded pauses every model call of this worker. */
    interface RateLimit {
        /** The pause when the answer names no {@code retry-after-ms} / {@code retry-after}. */
        @WithDefault("10s")
        Duration defaultPause();

        /** The longest pause taken from one answer. */
        @WithDefault("120s")
        Duration maxPause();
    }
}
