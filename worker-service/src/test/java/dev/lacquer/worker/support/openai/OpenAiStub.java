package dev.lacquer.worker.support.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.lacquer.worker.support.openai.Multipart.Part;
import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;

/**
 * A stand-in for {@code POST /v1/images/edits} of the OpenAI API, on 127.0.0.1 only. It checks requests as the real
 * API does (bearer key, multipart fields, the image part's content type, {@code n}, {@code size}, {@code quality},
 * {@code output_format}, a decodable image) and answers in its shape: {@code created}, {@code data[].b64_json} with
 * real PNGs of the requested size, {@code usage}, {@code x-request-id} and {@code x-ratelimit-*} headers. Its error
 * bodies are the real API's. Tests script it: answer one error class always or for the first K calls, be slow, drop
 * the connection.
 */
public final class OpenAiStub implements AutoCloseable {

    public static final String API_KEY = "sk-test-lacquer-0123456789abcdef";
    static final Set<String> MODELS = Set.of("gpt-image-1", "gpt-image-1-mini", "gpt-image-1.5");
    static final List<String> SIZES = List.of("1024x1024", "1024x1536", "1536x1024", "auto");
    static final Set<String> QUALITIES = Set.of("low", "medium", "high", "auto");
    static final Set<String> FORMATS = Set.of("png", "jpeg", "webp");
    static final Set<String> IMAGE_TYPES = Set.of("image/png", "image/jpeg", "image/webp");

    /** What the stub does with a call. */
    public enum Answer {
        /** Checks the request and, if it is valid, answers the edited images. */
        OK,
        /** 400 moderation_blocked, after the request was checked. */
        MODERATION_BLOCKED,
        /** 401 invalid_api_key, as for a revoked key. */
        REJECT_KEY,
        /** 429 insufficient_quota. */
        INSUFFICIENT_QUOTA,
        /** 429 rate_limit_exceeded with retry-after-ms / retry-after. */
        RATE_LIMITED,
        /** 500 server_error. */
        SERVER_ERROR,
        /** 503, the engine is overloaded. */
        OVERLOADED,
        /** Waits {@link #slowFor} before answering OK (a client with a shorter read timeout gives up first). */
        SLOW,
        /** Reads the request and closes the connection without an answer. */
        DROP_CONNECTION
    }

    /** One call as the stub saw it. */
    public record Call(Instant receivedAt, Instant answeredAt, int status, String authorization,
                       Map<String, String> fields, String imageContentType, String imageFileName, int imageBytes,
                       String requestId) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final ConcurrentLinkedDeque<Answer> script = new ConcurrentLinkedDeque<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile Answer otherwise = Answer.OK;
    private volatile Duration delay = Duration.ZERO;
    private volatile Duration slowFor = Duration.ofSeconds(5);
    private volatile Duration retryAfter = Duration.ofMillis(1000);

    private OpenAiStub(HttpServer server) {
        this.server = server;
    }

    /** Starts on a free port of 127.0.0.1. */
    public static OpenAiStub start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            OpenAiStub stub = new OpenAiStub(server);
            server.setExecutor(stub.threads);
            server.createContext("/", stub::handle);
            server.start();
            return stub;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Back to answering OK at once to everything; forgets the calls seen. */
    public void reset() {
        script.clear();
        otherwise = Answer.OK;
        delay = Duration.ZERO;
        slowFor = Duration.ofSeconds(5);
        retryAfter = Duration.ofMillis(1000);
        calls.clear();
        maxInFlight.set(0);
    }

    /** The next {@code count} calls get {@code answer}; the ones after them get what they got before. */
    public OpenAiStub firstCalls(int count, Answer answer) {
        for (int i = 0; i < count; i++) {
            script.add(answer);
        }
        return this;
    }

    /** Every call not scripted by {@link #firstCalls} gets {@code answer}. */
    public OpenAiStub always(Answer answer) {
        otherwise = answer;
        return this;
    }

    /** Every call waits this long before it is answered (any answer). */
    public OpenAiStub delay(Duration delay) {
        this.delay = delay;
        return this;
    }

    public OpenAiStub slowFor(Duration slowFor) {
        this.slowFor = slowFor;
        return this;
    }

    /** The wait named by rate-limit answers. */
    public OpenAiStub retryAfter(Duration retryAfter) {
        this.retryAfter = retryAfter;
        return this;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Calls being answered right now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** The most calls that were being answered at the same time. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        Instant received = Instant.now();
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        String requestId = "req_" + HexFormat.of().formatHex(randomBytes(16));
        Request request = Request.read(exchange);
        Reply reply = null;
        try {
            Answer answer = script.isEmpty() ? otherwise : script.poll();
            if (answer == null) {
                answer = otherwise;
            }
            sleep(delay);
            reply = reply(exchange, request, answer);
        } finally {
            inFlight.decrementAndGet();
            // Recorded before the answer leaves, so a client that has the answer finds the call here.
            calls.add(new Call(received, Instant.now(), reply == null ? 0 : reply.status(), request.authorization(),
                    request.fields(), request.image() == null ? null : request.image().contentType(),
                    request.image() == null ? null : request.image().fileName(),
                    request.image() == null ? 0 : request.image().content().length, requestId));
        }
        if (reply == null) {
            // Dropped: close the connection without a status line.
            exchange.close();
            return;
        }
        send(exchange, reply, requestId);
    }

    private Reply reply(HttpExchange exchange, Request request, Answer answer) {
        if (!"POST".equals(exchange.getRequestMethod()) || !"/v1/images/edits".equals(exchange.getRequestURI().getPath())) {
            return error(404, "Invalid URL (" + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath()
                    + ")", "invalid_request_error", null, null);
        }
        String auth = request.authorization();
        if (auth == null || !auth.startsWith("Bearer ") || auth.substring(7).isBlank()) {
            return error(401, "You didn't provide an API key. You need to provide your API key in an Authorization"
                    + " header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with"
                    + " blank username) if you're accessing the API from your browser and are prompted for a username"
                    + " and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
                    "invalid_request_error", null, null);
        }
        String key = auth.substring(7).trim();
        if (!API_KEY.equals(key) || answer == Answer.REJECT_KEY) {
            return error(401, "Incorrect API key provided: " + redact(key) + ". You can find your API key at"
                    + " https://platform.openai.com/account/api-keys.", "invalid_request_error", null,
                    "invalid_api_key");
        }
        switch (answer) {
            case RATE_LIMITED -> {
                Reply reply = error(429, "Rate limit reached for gpt-image-1 in organization org-stub on images per"
                        + " minute (IPM): Limit 5, Used 5, Requested 1. Please try again in "
                        + retryAfter.toMillis() + "ms. Visit https://platform.openai.com/account/rate-limits to learn"
                        + " more.", "requests", null, "rate_limit_exceeded");
                return reply.with("retry-after-ms", Long.toString(retryAfter.toMillis()))
                        .with("retry-after", Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000)))
                        .with("x-ratelimit-remaining-requests", "0")
                        .with("x-ratelimit-reset-requests", retryAfter.toMillis() + "ms");
            }
            case INSUFFICIENT_QUOTA -> {
                return error(429, "You exceeded your current quota, please check your plan and billing details. For"
                        + " more information on this error, read the docs:"
                        + " https://platform.openai.com/docs/guides/error-codes/api-errors.", "insufficient_quota",
                        null, "insufficient_quota");
            }
            case SERVER_ERROR -> {
                return error(500, "The server had an error while processing your request. Sorry about that!",
                        "server_error", null, null);
            }
            case OVERLOADED -> {
                return error(503, "The engine is currently overloaded, please try again later.", "server_error",
                        null, null);
            }
            case DROP_CONNECTION -> {
                return null;
            }
            case SLOW -> sleep(slowFor);
            default -> {
                // checked below
            }
        }
        Reply invalid = validate(request);
        if (invalid != null) {
            return invalid;
        }
        BufferedImage photo;
        try {
            photo = ImageIO.read(new ByteArrayInputStream(request.image().content()));
        } catch (IOException | RuntimeException e) {
            photo = null;
        }
        if (photo == null) {
            return error(400, "Invalid image file or mode for image 1, please check your image file.",
                    "invalid_request_error", "image", "invalid_image_file");
        }
        if (answer == Answer.MODERATION_BLOCKED) {
            return error(400, "Your request was rejected by the safety system. If you believe this is an error,"
                    + " contact us at help.openai.com and include the request ID. safety_violations=[sexual].",
                    "image_generation_user_error", null, "moderation_blocked");
        }
        return edited(request, photo);
    }

    private static Reply validate(Request request) {
        if (request.boundary() == null) {
            return error(400, "Invalid Content-Type header (" + request.contentType() + "), expected"
                    + " multipart/form-data.", "invalid_request_error", null, null);
        }
        Map<String, String> fields = request.fields();
        if (request.image() == null) {
            return error(400, "Missing required parameter: 'image'.", "invalid_request_error", "image",
                    "missing_required_parameter");
        }
        String type = request.image().contentType();
        if (type == null || !IMAGE_TYPES.contains(type)) {
            return error(400, "Invalid file 'image': unsupported mimetype ('" + type + "'). Supported file formats"
                    + " are 'image/jpeg', 'image/png', and 'image/webp'.", "invalid_request_error", "image",
                    "unsupported_file_mimetype");
        }
        if (fields.get("prompt") == null || fields.get("prompt").isBlank()) {
            return error(400, "Missing required parameter: 'prompt'.", "invalid_request_error", "prompt",
                    "missing_required_parameter");
        }
        if (fields.get("prompt").length() > 32000) {
            return error(400, "Invalid 'prompt': string too long. Expected a string with maximum length 32000, but"
                    + " got a string with length " + fields.get("prompt").length() + " instead.",
                    "invalid_request_error", "prompt", "string_above_max_length");
        }
        String model = fields.getOrDefault("model", "gpt-image-1");
        if (!MODELS.contains(model)) {
            return error(400, "Invalid value: '" + model + "'. Value must be one of " + MODELS + ".",
                    "invalid_request_error", "model", "invalid_value");
        }
        String n = fields.getOrDefault("n", "1");
        int count;
        try {
            count = Integer.parseInt(n.trim());
        } catch (NumberFormatException e) {
            return error(400, "Invalid type for 'n': expected an integer, but got a string instead.",
                    "invalid_request_error", "n", "invalid_type");
        }
        if (count < 1) {
            return error(400, "Invalid 'n': integer below minimum value. Expected a value >= 1, but got " + count
                    + " instead.", "invalid_request_error", "n", "integer_below_min_value");
        }
        if (count > 10) {
            return error(400, "Invalid 'n': integer above maximum value. Expected a value <= 10, but got " + count
                    + " instead.", "invalid_request_error", "n", "integer_above_max_value");
        }
        String size = fields.getOrDefault("size", "auto");
        if (!SIZES.contains(size)) {
            return error(400, "Invalid value: '" + size + "'. Supported values are: '1024x1024', '1024x1536',"
                    + " '1536x1024', and 'auto'.", "invalid_request_error", "size", "invalid_value");
        }
        String quality = fields.getOrDefault("quality", "auto");
        if (!QUALITIES.contains(quality)) {
            return error(400, "Invalid value: '" + quality + "'. Supported values are: 'low', 'medium', 'high', and"
                    + " 'auto'.", "invalid_request_error", "quality", "invalid_value");
        }
        String format = fields.getOrDefault("output_format", "png");
        if (!FORMATS.contains(format)) {
            return error(400, "Invalid value: '" + format + "'. Supported values are: 'png', 'jpeg', and 'webp'.",
                    "invalid_request_error", "output_format", "invalid_value");
        }
        return null;
    }

    private static Reply edited(Request request, BufferedImage photo) {
        Map<String, String> fields = request.fields();
        int n = Integer.parseInt(fields.getOrDefault("n", "1").trim());
        String quality = fields.getOrDefault("quality", "auto");
        String size = fields.getOrDefault("size", "auto");
        if ("auto".equals(size)) {
            double aspect = (double) photo.getWidth() / photo.getHeight();
            size = aspect > 1.2 ? "1536x1024" : aspect < 1 / 1.2 ? "1024x1536" : "1024x1024";
        }
        String[] wh = size.split("x");
        int width = Integer.parseInt(wh[0]);
        int height = Integer.parseInt(wh[1]);

        ObjectNode body = JSON.createObjectNode();
        body.put("created", Instant.now().getEpochSecond());
        body.put("background", "opaque");
        ArrayNode data = body.putArray("data");
        for (int i = 0; i < n; i++) {
            data.addObject().put("b64_json", Base64.getEncoder().encodeToString(render(photo, width, height, i)));
        }
        body.put("output_format", "png");
        body.put("quality", "auto".equals(quality) ? "medium" : quality);
        body.put("size", size);
        long textTokens = Math.max(1, fields.get("prompt").length() / 4);
        long imageTokens = "high".equals(fields.get("input_fidelity")) ? 4160 : 323;
        long perImage = switch ("auto".equals(quality) ? "medium" : quality) {
            case "low" -> 272;
            case "high" -> 4160;
            default -> 1056;
        };
        if (width != height) {
            perImage = perImage * 3 / 2;
        }
        ObjectNode usage = body.putObject("usage");
        usage.put("input_tokens", textTokens + imageTokens);
        ObjectNode details = usage.putObject("input_tokens_details");
        details.put("image_tokens", imageTokens);
        details.put("text_tokens", textTokens);
        usage.put("output_tokens", perImage * n);
        usage.put("total_tokens", textTokens + imageTokens + perImage * n);
        return new Reply(200, body.toString(), new java.util.LinkedHashMap<>())
                .with("x-ratelimit-limit-requests", "50")
                .with("x-ratelimit-remaining-requests", "49")
                .with("x-ratelimit-reset-requests", "1.2s")
                .with("x-ratelimit-limit-tokens", "100000")
                .with("x-ratelimit-remaining-tokens", Long.toString(100000 - perImage * n))
                .with("x-ratelimit-reset-tokens", "2.5s");
    }

    /** The photo filling the canvas, tinted per image index, as PNG. */
    private static byte[] render(BufferedImage photo, int width, int height, int index) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(photo, 0, 0, width, height, null);
            g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.25f));
            g.setColor(Color.getHSBColor(index * 0.17f, 0.8f, 0.9f));
            g.fillRect(0, 0, width, height);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(out, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static Reply error(int status, String message, String type, String param, String code) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return new Reply(status, body.toString(), new java.util.LinkedHashMap<>());
    }

    private static void send(HttpExchange exchange, Reply reply, String requestId) throws IOException {
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("x-request-id", requestId);
        exchange.getResponseHeaders().set("openai-version", "2020-10-01");
        exchange.getResponseHeaders().set("openai-processing-ms", "42");
        reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(reply.status(), body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static String redact(String key) {
        return key.length() <= 8 ? "sk-***" : key.substring(0, 3) + "*".repeat(8) + key.substring(key.length() - 4);
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    private static void sleep(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Reply(int status, String body, Map<String, String> headers) {
        Reply with(String name, String value) {
            headers.put(name, value);
            return this;
        }
    }

    /** The parts of one request the stub looks at. */
    private record Request(String authorization, String contentType, String boundary, Map<String, String> fields,
                           Part image) {

        static Request read(HttpExchange exchange) throws IOException {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            String boundary = Multipart.boundary(contentType);
            List<Part> parts = boundary == null ? List.of() : Multipart.parse(body, boundary);
            Map<String, String> fields = parts.stream().filter(p -> p.fileName() == null)
                    .collect(Collectors.toMap(Part::name, Part::text, (a, b) -> b, java.util.LinkedHashMap::new));
            Part image = parts.stream().filter(p -> p.name().equals("image") || p.name().equals("image[]"))
                    .findFirst().orElse(null);
            return new Request(exchange.getRequestHeaders().getFirst("Authorization"), contentType, boundary, fields,
                    image);
        }
    }
}
