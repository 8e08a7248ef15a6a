package dev.lacquer.worker.support.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lacquer.worker.support.TestPhotos;
import dev.lacquer.worker.support.openai.OpenAiStub.Answer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stand-in checks and answers like the real API: without it the OpenAI tests would prove little. */
class OpenAiStubTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static OpenAiStub stub;

    @BeforeAll
    static void start() {
        stub = OpenAiStub.start();
    }

    @AfterAll
    static void stop() {
        stub.close();
    }

    @BeforeEach
    void reset() {
        stub.reset();
    }

    @Test
    void validEditAnswersRealPngsOfTheRequestedSizeWithUsageAndHeaders() throws Exception {
        HttpResponse<String> response = post(fields("2", "1024x1536"), TestPhotos.png(300, 400), "image/png",
                "Bearer " + OpenAiStub.API_KEY);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        assertTrue(body.get("created").asLong() > 0);
        assertEquals(2, body.get("data").size());
        for (JsonNode item : body.get("data")) {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(
                    Base64.getDecoder().decode(item.get("b64_json").asText())));
            assertEquals(1024, image.getWidth());
            assertEquals(1536, image.getHeight());
        }
        JsonNode usage = body.get("usage");
        assertEquals(usage.get("input_tokens").asLong() + usage.get("output_tokens").asLong(),
                usage.get("total_tokens").asLong());
        assertTrue(response.headers().firstValue("x-request-id").orElseThrow().startsWith("req_"));
        assertTrue(response.headers().firstValue("x-ratelimit-remaining-requests").isPresent());
    }

    @Test
    void octetStreamImageIsRefusedWithTheRealErrorBody() throws Exception {
        HttpResponse<String> response = post(fields("1", "auto"), TestPhotos.png(64, 64), "application/octet-stream",
                "Bearer " + OpenAiStub.API_KEY);
        assertEquals(400, response.statusCode());
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertEquals("Invalid file 'image': unsupported mimetype ('application/octet-stream'). Supported file formats"
                + " are 'image/jpeg', 'image/png', and 'image/webp'.", error.get("message").asText());
        assertEquals("invalid_request_error", error.get("type").asText());
        assertEquals("image", error.get("param").asText());
    }

    @Test
    void bearerKeyIsRequiredAndChecked() throws Exception {
        HttpResponse<String> none = post(fields("1", "auto"), TestPhotos.png(64, 64), "image/png", null);
        assertEquals(401, none.statusCode());
        assertTrue(JSON.readTree(none.body()).get("error").get("code").isNull());
        HttpResponse<String> wrong = post(fields("1", "auto"), TestPhotos.png(64, 64), "image/png", "Bearer sk-wrong-key-123");
        assertEquals(401, wrong.statusCode());
        assertEquals("invalid_api_key", JSON.readTree(wrong.body()).get("error").get("code").asText());
    }

    @Test
    void nSizeAndPromptAreChecked() throws Exception {
        String key = "Bearer " + OpenAiStub.API_KEY;
        assertError(post(fields("11", "auto"), TestPhotos.png(64, 64), "image/png", key), 400, "n",
                "integer_above_max_value");
        assertError(post(fields("0", "auto"), TestPhotos.png(64, 64), "image/png", key), 400, "n",
                "integer_below_min_value");
        assertError(post(fields("1", "999x999"), TestPhotos.png(64, 64), "image/png", key), 400, "size",
                "invalid_value");
        Map<String, String> noPrompt = fields("1", "auto");
        noPrompt.remove("prompt");
        assertError(post(noPrompt, TestPhotos.png(64, 64), "image/png", key), 400, "prompt",
                "missing_required_parameter");
        byte[] png = TestPhotos.png(200, 200);
        byte[] truncated = java.util.Arrays.copyOf(png, png.length / 2);
        assertError(post(fields("1", "auto"), truncated, "image/png", key), 400, "image", "invalid_image_file");
    }

    @Test
    void scriptedAnswersComeFirstThenTheDefault() throws Exception {
        stub.firstCalls(1, Answer.RATE_LIMITED).firstCalls(1, Answer.SERVER_ERROR).retryAfter(java.time.Duration.ofMillis(1500));
        String key = "Bearer " + OpenAiStub.API_KEY;
        HttpResponse<String> limited = post(fields("1", "auto"), TestPhotos.png(64, 64), "image/png", key);
        assertError(limited, 429, null, "rate_limit_exceeded");
        assertEquals("1500", limited.headers().firstValue("retry-after-ms").orElseThrow());
        assertEquals("2", limited.headers().firstValue("retry-after").orElseThrow());
        assertError(post(fields("1", "auto"), TestPhotos.png(64, 64), "image/png", key), 500, null, null);
        assertEquals(200, post(fields("1", "auto"), TestPhotos.png(64, 64), "image/png", key).statusCode());
        stub.always(Answer.INSUFFICIENT_QUOTA);
        assertError(post(fields("1", "auto"), TestPhotos.png(64, 64), "image/png", key), 429, null,
                "insufficient_quota");
        assertEquals(4, stub.calls().size());
        assertNotNull(stub.calls().getFirst().requestId());
    }

    private static void assertError(HttpResponse<String> response, int status, String param, String code)
            throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertNotNull(error.get("message").asText());
        if (param != null) {
            assertEquals(param, error.get("param").asText());
        }
        if (code != null) {
            assertEquals(code, error.get("code").asText());
        }
    }

    private static Map<String, String> fields(String n, String size) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("prompt", "red nails");
        fields.put("model", "gpt-image-1");
        fields.put("n", n);
        fields.put("size", size);
        fields.put("quality", "low");
        fields.put("output_format", "png");
        return fields;
    }

    private static HttpResponse<String> post(Map<String, String> fields, byte[] image, String imageType,
                                             String authorization) throws Exception {
        String boundary = "stubtest" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"photo.png\"\r\n"
                + "Content-Type: " + imageType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(image);
        body.write("\r\n".getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, String> field : fields.entrySet()) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey() + "\"\r\n\r\n"
                    + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stub.baseUrl() + "/v1/images/edits"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
