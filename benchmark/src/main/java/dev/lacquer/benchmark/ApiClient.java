package dev.lacquer.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The API as the app uses it: OIDC password-grant tokens, creates with a real photo, reads. */
public final class ApiClient {

    public static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String base;
    private final String tokenUrl;
    private final String password;
    private final byte[] createBody;

    public ApiClient(String base, String tokenUrl, String password, byte[] photoJpeg) {
        ExecutorService executor = Executors.newFixedThreadPool(4, Thread.ofPlatform().daemon().name("http-", 0)
                .factory());
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).executor(executor).build();
        this.base = base;
        this.tokenUrl = tokenUrl;
        this.password = password;
        String body = "{\"prompt\":\"glazed donut chrome with tiny pearls\",\"imageCount\":2,"
                + "\"designSettings\":{\"shape\":\"almond\",\"length\":\"medium\",\"finish\":\"chrome\","
                + "\"colors\":[\"#f4e1d2\",\"#c0c0ff\"]},\"originalImage\":\"data:image/jpeg;base64,"
                + Base64.getEncoder().encodeToString(photoJpeg) + "\"}";
        this.createBody = body.getBytes(StandardCharsets.UTF_8);
    }

    public int createBodyBytes() {
        return createBody.length;
    }

    /** An access token for {@code username} (valid for {@code seconds}). */
    public String token(String username, int seconds) throws IOException, InterruptedException {
        String form = "grant_type=password&client_id=lacquer-app&username=" + enc(username) + "&password="
                + enc(password) + "&expires_in=" + seconds;
        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenUrl)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("token for " + username + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body()).get("access_token").asText();
    }

    /** Tokens for many users, fetched 16 at a time. */
    public List<String> tokens(List<String> usernames, int seconds) throws Exception {
        List<CompletableFuture<String>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            for (String user : usernames) {
                futures.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return token(user, seconds);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
        }
        List<String> tokens = new ArrayList<>();
        for (CompletableFuture<String> future : futures) {
            tokens.add(future.join());
        }
        return tokens;
    }

    /** The answer to a create: status, job id when 202, when the answer arrived. */
    public record Created(int status, UUID jobId, Instant answeredAt, long answeredNanos, String error) {
        public boolean accepted() {
            return status == 202 && jobId != null;
        }
    }

    public HttpRequest createRequest(String token) {
        return HttpRequest.newBuilder(URI.create(base + "/api/generate-nail-design-job"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(createBody)).build();
    }

    /** Creates a job (blocking). Network errors are answered as status -1. */
    public Created create(String token) throws InterruptedException {
        try {
            return created(http.send(createRequest(token), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return new Created(-1, null, Instant.now(), System.nanoTime(), e.toString());
        }
    }

    public CompletableFuture<Created> createAsync(String token) {
        return http.sendAsync(createRequest(token), HttpResponse.BodyHandlers.ofString()).handle((response, failure) ->
                failure != null ? new Created(-1, null, Instant.now(), System.nanoTime(), failure.toString())
                        : created(response));
    }

    private static Created created(HttpResponse<String> response) {
        Instant at = Instant.now();
        long nanos = System.nanoTime();
        if (response.statusCode() == 202) {
            try {
                JsonNode json = JSON.readTree(response.body());
                return new Created(202, UUID.fromString(json.get("jobId").asText()), at, nanos, null);
            } catch (IOException | RuntimeException e) {
                return new Created(-2, null, at, nanos, "unreadable 202 body");
            }
        }
        String body = response.body();
        return new Created(response.statusCode(), null, at, nanos, body.length() > 200 ? body.substring(0, 200) : body);
    }

    public HttpRequest getRequest(String token, String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).GET().build();
    }

    public HttpResponse<String> get(String token, String path) throws IOException, InterruptedException {
        return http.send(getRequest(token, path), HttpResponse.BodyHandlers.ofString());
    }

    public CompletableFuture<HttpResponse<Void>> sendAsyncDiscarding(HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
    }

    public HttpResponse<String> post(String token, String path, String json) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
