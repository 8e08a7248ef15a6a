package dev.lacquer.worker.generation.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lacquer.worker.generation.openai.ProviderFailure.Kind;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;

/**
 * Reads an error answer of the OpenAI API ({@code {"error": {"message", "type", "param", "code"}}}) into a
 * {@link ProviderFailure}: the status decides first, the {@code error.code} (or {@code type}) refines 400 and 429.
 */
final class ProviderErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProviderErrors() {
    }

    /**
     * @param header the answer's headers by (case-insensitive) name; null when absent
     */
    static ProviderFailure classify(int status, String body, Function<String, String> header) {
        JsonNode error = error(body);
        String code = text(error, "code");
        String type = text(error, "type");
        String param = text(error, "param");
        String providerCode = code != null ? code : type;
        String requestId = header.apply("x-request-id");
        Kind kind = kind(status, code, type);
        Duration retryAfter = status == 429 || status == 503 ? retryAfter(header, Instant.now()) : null;
        String detail = "OpenAI answered HTTP " + status + (providerCode == null ? "" : " " + providerCode)
                + (param == null || param.isBlank() ? "" : " (param " + param + ")")
                + (requestId == null ? "" : ", request " + requestId);
        return new ProviderFailure(kind, status, providerCode, retryAfter, requestId, detail, null);
    }

    static Kind kind(int status, String code, String type) {
        if (status == 429) {
            return "insufficient_quota".equals(code) || "insufficient_quota".equals(type) ? Kind.QUOTA
                    : Kind.RATE_LIMITED;
        }
        if (status == 400 || status == 422) {
            return isModeration(code) || isModeration(type) ? Kind.CONTENT_POLICY : Kind.INVALID_INPUT;
        }
        if (status == 401 || status == 403 || status == 404 || status == 405) {
            return Kind.CONFIGURATION;
        }
        if (status == 408 || status == 409 || status >= 500) {
            return Kind.UNAVAILABLE;
        }
        // 413 too large, 415 unsupported type, and the rest of 4xx: the request itself is at fault.
        return Kind.INVALID_INPUT;
    }

    private static boolean isModeration(String value) {
        return "moderation_blocked".equals(value) || "content_policy_violation".equals(value);
    }

    /**
     * The wait the answer asks for: {@code retry-after-ms} (milliseconds) first, then {@code retry-after} as seconds
     * or an HTTP date; null when neither is there or readable.
     */
    static Duration retryAfter(Function<String, String> header, Instant now) {
        String millis = header.apply("retry-after-ms");
        if (millis != null) {
            try {
                double value = Double.parseDouble(millis.trim());
                if (value >= 0 && Double.isFinite(value)) {
                    return Duration.ofMillis(Math.round(value));
                }
            } catch (NumberFormatException e) {
                // fall through to retry-after
            }
        }
        String after = header.apply("retry-after");
        if (after == null || after.isBlank()) {
            return null;
        }
        try {
            double seconds = Double.parseDouble(after.trim());
            return seconds >= 0 && Double.isFinite(seconds) ? Duration.ofMillis(Math.round(seconds * 1000)) : null;
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(after.trim(), DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT))
                        .toInstant();
                Duration wait = Duration.between(now, at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }

    private static JsonNode error(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode root = JSON.readTree(body);
            JsonNode error = root == null ? null : root.get("error");
            return error != null && error.isObject() ? error : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
