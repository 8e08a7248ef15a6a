package dev.lacquer.worker.generation.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lacquer.model.event.GenerationCompleted.Usage;
import dev.lacquer.worker.generation.openai.ProviderFailure.Kind;
import dev.lacquer.worker.metrics.WorkerMetrics;
import dev.lacquer.worker.retry.Backoff;
import dev.lacquer.worker.retry.Retrier;
import io.quarkus.logging.Log;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.resteasy.reactive.client.api.ClientMultipartForm;

/**
 * The worker's way to OpenAI's image edits: wraps {@link OpenAiImagesApi} with its timeouts, at most
 * {@code max-concurrent-calls} calls in flight, the shared {@link RateLimitGate}, retries of what may pass
 * ({@link Kind#retriedHere()}) with {@link Backoff}, and the classification of every other answer.
 */
@ApplicationScoped
public class OpenAiImages {

    static final String OPERATION = "openai.images.edit";

    private final OpenAiConfig config;
    private final OpenAiMetrics metrics;
    private final ObjectMapper json;
    private final Retrier retrier;
    private final RateLimitGate gate;
    private final Semaphore calls;
    private final Duration answerDeadline;
    private volatile OpenAiImagesApi api;

    OpenAiImages(OpenAiConfig config, OpenAiMetrics metrics, WorkerMetrics workerMetrics, ObjectMapper json) {
        this.config = config;
        this.metrics = metrics;
        this.json = json;
        OpenAiConfig.Retry retry = config.retry();
        this.retrier = new Retrier(new Backoff(retry.maxAttempts(), retry.initialBackoff(), retry.maxBackoff(),
                retry.jitter(), retry.maxElapsed()), workerMetrics);
        this.gate = new RateLimitGate(Clock.systemUTC());
        this.calls = new Semaphore(Math.max(1, config.maxConcurrentCalls()), true);
        // The client's own read timeout ends a silent call; this bounds the whole exchange, upload included.
        this.answerDeadline = config.connectTimeout().plus(config.readTimeout()).plusSeconds(30);
        metrics.pauseGauge(gate);
    }

    /**
     * Sends the edit, trying again after rate limits, 5xx answers, lost connections and timeouts within the retry
     * budget.
     *
     * @throws ProviderFailure      when the provider refused the call, or kept failing past the budget
     * @throws InterruptedException when the job was canceled or the worker is stopping
     */
    EditedImages edit(ImageEdit edit) throws InterruptedException {
        try {
            return retrier.call(OPERATION, "job " + edit.jobId(), () -> callOnce(edit),
                    e -> e instanceof ProviderFailure failure && failure.kind().retriedHere());
        } catch (InterruptedException | ProviderFailure e) {
            throw e;
        } catch (Exception e) {
            throw ProviderFailure.transport("the call failed: " + e, e);
        }
    }

    /** Whether new calls are held back by a rate limit right now. */
    boolean rateLimited() {
        return !gate.open();
    }

    private EditedImages callOnce(ImageEdit edit) throws InterruptedException {
        calls.acquire();
        try {
            Duration waited = gate.awaitOpen();
            if (!waited.isZero()) {
                Log.debugf("job %s: waited %d ms for the rate limit pause", edit.jobId(), waited.toMillis());
            }
            return send(edit);
        } finally {
            calls.release();
        }
    }

    private EditedImages send(ImageEdit edit) throws InterruptedException {
        long startedAt = System.nanoTime();
        String outcome = Kind.UNAVAILABLE.tag();
        metrics.callStarted();
        try {
            Response response = exchange(edit);
            int status = response.getStatus();
            String requestId = response.getHeaderString("x-request-id");
            String body = body(response, requestId);
            if (status >= 200 && status < 300) {
                EditedImages images = read(body, edit, requestId);
                outcome = "ok";
                Log.debugf("job %s: OpenAI answered %d images (request %s)", edit.jobId(), images.images().size(),
                        requestId);
                return images;
            }
            ProviderFailure failure = ProviderErrors.classify(status, body, response::getHeaderString);
            outcome = failure.kind().tag();
            react(edit, failure);
            throw failure;
        } finally {
            metrics.callEnded(outcome, Duration.ofNanos(System.nanoTime() - startedAt));
        }
    }

    private static String body(Response response, String requestId) {
        try {
            return response.hasEntity() ? response.readEntity(String.class) : "";
        } catch (RuntimeException e) {
            throw new ProviderFailure(Kind.UNAVAILABLE, response.getStatus(), null, null, requestId,
                    "the answer's body could not be read: " + describe(e), e);
        } finally {
            response.close();
        }
    }

    private Response exchange(ImageEdit edit) throws InterruptedException {
        CompletableFuture<Response> answer;
        try {
            answer = api().edit("Bearer " + config.apiKey().orElse(""), config.organization().orElse(null),
                    config.project().orElse(null), form(edit)).toCompletableFuture();
        } catch (RuntimeException e) {
            throw ProviderFailure.transport("the call could not be sent: " + describe(e), e);
        }
        try {
            return answer.get(answerDeadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            answer.cancel(true);
            throw e;
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw ProviderFailure.transport("no answer within " + answerDeadline.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            throw ProviderFailure.transport("the call failed: " + describe(e.getCause()), e.getCause());
        }
    }

    private ClientMultipartForm form(ImageEdit edit) {
        ClientMultipartForm form = ClientMultipartForm.create()
                .binaryFileUpload("image", edit.fileName(), Buffer.buffer(edit.image()), edit.imageType())
                .attribute("prompt", edit.prompt(), null)
                .attribute("model", edit.model(), null)
                .attribute("n", Integer.toString(edit.n()), null)
                .attribute("size", edit.size(), null)
                .attribute("quality", edit.quality(), null)
                .attribute("output_format", "png", null);
        config.inputFidelity().ifPresent(fidelity -> form.attribute("input_fidelity", fidelity, null));
        return form;
    }

    private EditedImages read(String body, ImageEdit edit, String requestId) {
        JsonNode root;
        try {
            root = json.readTree(body == null ? "" : body);
        } catch (IOException e) {
            throw unreadable("the answer is not JSON", requestId);
        }
        JsonNode data = root == null ? null : root.get("data");
        if (data == null || !data.isArray() || data.size() != edit.n()) {
            throw unreadable("the answer holds " + (data == null ? "no" : data.size()) + " images for n="
                    + edit.n(), requestId);
        }
        List<byte[]> images = new ArrayList<>();
        for (JsonNode item : data) {
            JsonNode b64 = item.get("b64_json");
            if (b64 == null || !b64.isTextual()) {
                throw unreadable("an image has no b64_json", requestId);
            }
            try {
                images.add(Base64.getDecoder().decode(b64.asText()));
            } catch (IllegalArgumentException e) {
                throw unreadable("an image's b64_json is not base64", requestId);
            }
        }
        JsonNode usage = root.get("usage");
        Usage tokens = usage == null || !usage.isObject() ? Usage.none()
                : new Usage(number(usage, "input_tokens"), number(usage, "output_tokens"),
                number(usage, "total_tokens"));
        metrics.usage(tokens);
        return new EditedImages(images, tokens, requestId);
    }

    private static Long number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.canConvertToLong() ? value.asLong() : null;
    }

    private static ProviderFailure unreadable(String what, String requestId) {
        return new ProviderFailure(Kind.UNAVAILABLE, 200, null, null, requestId,
                "OpenAI answered 200 but " + what + (requestId == null ? "" : ", request " + requestId), null);
    }

    /** What one failed answer means for this worker beyond the job: pauses, alerts. */
    private void react(ImageEdit edit, ProviderFailure failure) {
        switch (failure.kind()) {
            case RATE_LIMITED -> {
                Duration asked = failure.retryAfter() == null ? config.rateLimit().defaultPause() : failure.retryAfter();
                Duration pause = asked.compareTo(config.rateLimit().maxPause()) > 0 ? config.rateLimit().maxPause()
                        : asked;
                gate.pause(pause);
                Log.warnf("job %s: %s; every model call of this worker waits %d ms", edit.jobId(),
                        failure.getMessage(), pause.toMillis());
            }
            case CONFIGURATION -> {
                metrics.configurationError();
                Log.errorf("job %s: %s: OpenAI refused our configuration; check OPENAI_API_KEY, OPENAI_BASE_URL, the"
                        + " model and the organization's access to it", edit.jobId(), failure.getMessage());
            }
            case QUOTA -> Log.errorf("job %s: %s: the OpenAI account has no quota left; check billing", edit.jobId(),
                    failure.getMessage());
            default -> {
                // reported by the job's failure, or retried
            }
        }
    }

    private OpenAiImagesApi api() {
        OpenAiImagesApi client = api;
        if (client == null) {
            synchronized (this) {
                client = api;
                if (client == null) {
                    client = QuarkusRestClientBuilder.newBuilder()
                            .baseUri(baseUri(config.baseUrl()))
                            .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                            .readTimeout(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                            .disableDefaultMapper(true)
                            .userAgent("lacquer-worker")
                            .build(OpenAiImagesApi.class);
                    api = client;
                }
            }
        }
        return client;
    }

    /** The base URL without a trailing slash or {@code /v1} (the SDKs' convention includes it; our paths do). */
    static URI baseUri(String configured) {
        String base = configured.strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        if (base.endsWith("/v1")) {
            base = base.substring(0, base.length() - 3);
        }
        return URI.create(base);
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
