package dev.lacquer.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * A stand-in for OpenAI's {@code POST /v1/images/edits} on 127.0.0.1, for running the worker's production
 * {@code openai} generator in end-to-end tests: it checks the bearer key and the multipart fields the worker sends,
 * waits {@code latency} (an image model takes a while: long enough to close a page mid-generation), and answers
 * {@code n} real PNGs as {@code b64_json} with {@code usage} and {@code x-request-id}. A prompt containing
 * {@link #BLOCKED_WORD} is refused as the real API refuses a prompt its safety system blocks: 400
 * {@code moderation_blocked}.
 */
final class ImageModelStub implements AutoCloseable {

    static final String API_KEY = "sk-e2e-lacquer-stub-0123456789";
    /** A prompt with this word is blocked by the stub's "safety system". */
    static final String BLOCKED_WORD = "forbiddenglitter";

    private final HttpServer server;
    private final ExecutorService pool;
    private final Duration latency;
    private final AtomicInteger calls = new AtomicInteger();

    private ImageModelStub(Duration latency) throws IOException {
        this.latency = latency;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 32);
        this.pool = Executors.newFixedThreadPool(8, r -> {
            Thread thread = new Thread(r, "image-model-stub");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(pool);
        server.createContext("/v1/images/edits", this::edit);
        server.start();
    }

    static ImageModelStub start(Duration latency) {
        try {
            return new ImageModelStub(latency);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL the worker takes as {@code OPENAI_BASE_URL}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int calls() {
        return calls.get();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    private void edit(HttpExchange exchange) throws IOException {
        try (exchange) {
            calls.incrementAndGet();
            String requestId = "req_" + UUID.randomUUID().toString().replace("-", "");
            exchange.getResponseHeaders().set("x-request-id", requestId);
            if (!exchange.getRequestMethod().equals("POST")) {
                answer(exchange, 405, error("Method not allowed.", "invalid_request_error", null, null));
                return;
            }
            if (!("Bearer " + API_KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer(exchange, 401, error("Incorrect API key provided.", "invalid_request_error", null,
                        "invalid_api_key"));
                return;
            }
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> fields = contentType == null || !contentType.contains("boundary=") ? Map.of()
                    : textFields(body, contentType.substring(contentType.indexOf("boundary=") + 9).replace("\"", ""));
            String prompt = fields.get("prompt");
            int n;
            try {
                n = Integer.parseInt(fields.getOrDefault("n", "1"));
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (prompt == null || prompt.isBlank() || n < 1 || n > 10 || !fields.containsKey("model")) {
                answer(exchange, 400, error("Invalid request: prompt, model and n (1-10) are required.",
                        "invalid_request_error", "prompt", "invalid_value"));
                return;
            }
            if (prompt.toLowerCase(Locale.ROOT).contains(BLOCKED_WORD)) {
                answer(exchange, 400, error("Your request was rejected as a result of our safety system. Your"
                        + " request may contain content that is not allowed by our safety system.",
                        "image_generation_user_error", null, "moderation_blocked"));
                return;
            }
            Thread.sleep(latency.toMillis());
            StringBuilder data = new StringBuilder();
            for (int i = 0; i < n; i++) {
                data.append(i == 0 ? "" : ",").append("{\"b64_json\":\"")
                        .append(Base64.getEncoder().encodeToString(png(prompt, i))).append("\"}");
            }
            answer(exchange, 200, "{\"created\":" + Instant.now().getEpochSecond() + ",\"data\":[" + data
                    + "],\"usage\":{\"input_tokens\":120,\"output_tokens\":" + (n * 272)
                    + ",\"total_tokens\":" + (120 + n * 272) + "}}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The text parts of a multipart body (the image part is skipped). */
    private static Map<String, String> textFields(byte[] body, String boundary) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        Map<String, String> fields = new HashMap<>();
        for (String part : text.split("--" + java.util.regex.Pattern.quote(boundary))) {
            int headersEnd = part.indexOf("\r\n\r\n");
            if (headersEnd < 0) {
                continue;
            }
            String headers = part.substring(0, headersEnd);
            int name = headers.indexOf("name=\"");
            if (name < 0 || headers.contains("filename=")) {
                continue;
            }
            String fieldName = headers.substring(name + 6, headers.indexOf('"', name + 6));
            String value = part.substring(headersEnd + 4);
            value = value.endsWith("\r\n") ? value.substring(0, value.length() - 2) : value;
            fields.put(fieldName, new String(value.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
        }
        return fields;
    }

    /** A small real PNG whose colours depend on the prompt and the image's index. */
    private static byte[] png(String prompt, int index) {
        int hash = prompt.hashCode();
        BufferedImage image = new BufferedImage(384, 384, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        Color from = new Color(Color.HSBtoRGB(((hash & 0xff) + index * 40) / 255f % 1f, 0.45f, 0.95f));
        Color to = new Color(Color.HSBtoRGB((((hash >> 8) & 0xff) + index * 70) / 255f % 1f, 0.6f, 0.7f));
        g.setPaint(new GradientPaint(0, 0, from, 384, 384, to));
        g.fillRect(0, 0, 384, 384);
        g.setColor(new Color(255, 255, 255, 180));
        for (int nail = 0; nail < 5; nail++) {
            g.fillRoundRect(40 + nail * 64, 90 + Math.abs(nail - 2) * 24, 44, 110, 40, 40);
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String error(String message, String type, String param, String code) {
        return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"param\":"
                + (param == null ? "null" : "\"" + param + "\"") + ",\"code\":"
                + (code == null ? "null" : "\"" + code + "\"") + "}}";
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
