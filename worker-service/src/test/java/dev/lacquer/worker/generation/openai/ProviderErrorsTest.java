package dev.lacquer.worker.generation.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lacquer.model.ErrorCode;
import dev.lacquer.worker.generation.openai.ProviderFailure.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderErrorsTest {

    private static String body(String type, String code) {
        return "{\"error\":{\"message\":\"m\",\"type\":" + (type == null ? "null" : "\"" + type + "\"")
                + ",\"param\":null,\"code\":" + (code == null ? "null" : "\"" + code + "\"") + "}}";
    }

    @Test
    void eachErrorClassGetsItsCodeAndRetryRule() {
        Map<String, String> none = Map.of();
        assertClass(ProviderErrors.classify(400, body("image_generation_user_error", "moderation_blocked"), none::get),
                Kind.CONTENT_POLICY, ErrorCode.CONTENT_POLICY, false, false);
        assertClass(ProviderErrors.classify(400, body("invalid_request_error", "invalid_image_file"), none::get),
                Kind.INVALID_INPUT, ErrorCode.INVALID_INPUT, false, false);
        assertClass(ProviderErrors.classify(401, body("invalid_request_error", "invalid_api_key"), none::get),
                Kind.CONFIGURATION, ErrorCode.PROVIDER_CONFIGURATION, false, false);
        assertClass(ProviderErrors.classify(403, body("invalid_request_error", null), none::get),
                Kind.CONFIGURATION, ErrorCode.PROVIDER_CONFIGURATION, false, false);
        assertClass(ProviderErrors.classify(429, body("insufficient_quota", "insufficient_quota"), none::get),
                Kind.QUOTA, ErrorCode.PROVIDER_QUOTA, false, false);
        assertClass(ProviderErrors.classify(429, body("requests", "rate_limit_exceeded"), none::get),
                Kind.RATE_LIMITED, ErrorCode.PROVIDER_UNAVAILABLE, true, true);
        assertClass(ProviderErrors.classify(500, body("server_error", null), none::get),
                Kind.UNAVAILABLE, ErrorCode.PROVIDER_UNAVAILABLE, true, true);
        assertClass(ProviderErrors.classify(502, "<html>bad gateway</html>", none::get),
                Kind.UNAVAILABLE, ErrorCode.PROVIDER_UNAVAILABLE, true, true);
        assertClass(ProviderErrors.classify(413, "", none::get),
                Kind.INVALID_INPUT, ErrorCode.INVALID_INPUT, false, false);
    }

    @Test
    void detailNamesStatusCodeParamAndRequestIdOnly() {
        ProviderFailure failure = ProviderErrors.classify(400,
                "{\"error\":{\"message\":\"secret prompt text\",\"type\":\"invalid_request_error\",\"param\":\"size\","
                        + "\"code\":\"invalid_value\"}}", Map.of("x-request-id", "req_1")::get);
        assertEquals("OpenAI answered HTTP 400 invalid_value (param size), request req_1", failure.getMessage());
        assertEquals("req_1", failure.requestId());
        assertEquals("invalid_value", failure.providerCode());
    }

    @Test
    void retryAfterMillisecondsComeFirstThenSecondsThenAnHttpDate() {
        Instant now = Instant.parse("2026-11-29T12:00:00Z");
        assertEquals(Duration.ofMillis(1500),
                ProviderErrors.retryAfter(Map.of("retry-after-ms", "1500", "retry-after", "9")::get, now));
        assertEquals(Duration.ofSeconds(9), ProviderErrors.retryAfter(Map.of("retry-after", "9")::get, now));
        assertEquals(Duration.ofMillis(2500), ProviderErrors.retryAfter(Map.of("retry-after", "2.5")::get, now));
        assertEquals(Duration.ofSeconds(30),
                ProviderErrors.retryAfter(Map.of("retry-after", "Sun, 29 Nov 2026 12:00:30 GMT")::get, now));
        assertNull(ProviderErrors.retryAfter(Map.<String, String>of()::get, now));
        assertNull(ProviderErrors.retryAfter(Map.of("retry-after", "soon")::get, now));
        assertEquals(Duration.ofMillis(1500), ProviderErrors.classify(429, body("requests", "rate_limit_exceeded"),
                Map.of("retry-after-ms", "1500")::get).retryAfter());
    }

    @Test
    void baseUrlMayEndWithASlashOrV1() {
        assertEquals("https://api.openai.com", OpenAiImages.baseUri("https://api.openai.com/v1/").toString());
        assertEquals("http://127.0.0.1:9000/proxy", OpenAiImages.baseUri("http://127.0.0.1:9000/proxy/").toString());
    }

    private static void assertClass(ProviderFailure failure, Kind kind, ErrorCode code, boolean retryable,
                                    boolean retriedHere) {
        assertEquals(kind, failure.kind());
        assertEquals(code, failure.toGenerationException().code());
        assertEquals(retryable, failure.toGenerationException().retryable());
        assertEquals(retriedHere, failure.kind().retriedHere());
        assertTrue(failure.getMessage().startsWith("OpenAI answered HTTP " + failure.status()));
        assertFalse(failure.getMessage().contains("\"m\""));
    }
}
