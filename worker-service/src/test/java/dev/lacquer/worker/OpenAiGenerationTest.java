package dev.lacquer.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lacquer.model.ErrorCode;
import dev.lacquer.model.ObjectKeys;
import dev.lacquer.model.Topics;
import dev.lacquer.model.event.GenerationCanceled;
import dev.lacquer.model.event.GenerationCompleted;
import dev.lacquer.model.event.GenerationEvent;
import dev.lacquer.model.event.GenerationFailed;
import dev.lacquer.model.event.GenerationRequested;
import dev.lacquer.model.event.GenerationStarted;
import dev.lacquer.model.event.ModelOptions;
import dev.lacquer.worker.generation.openai.OpenAiMetrics;
import dev.lacquer.worker.imaging.Images;
import dev.lacquer.worker.support.Events;
import dev.lacquer.worker.support.RequestSender;
import dev.lacquer.worker.support.TestPhotos;
import dev.lacquer.worker.support.TopicWatcher;
import dev.lacquer.worker.support.openai.OpenAiStub;
import dev.lacquer.worker.support.openai.OpenAiStub.Answer;
import dev.lacquer.worker.support.openai.OpenAiStub.Call;
import dev.lacquer.worker.support.openai.OpenAiStubResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The worker with {@code lacquer.worker.generator=openai} against the OpenAI stand-in ({@link OpenAiStub}), end to end
 * through the real Kafka and object store: each error class of the provider ends as the right event, with the right
 * code, retryable flag and number of model calls.
 */
@QuarkusTest
@TestProfile(OpenAiGenerationTest.OpenAi.class)
class OpenAiGenerationTest {

    public static class OpenAi implements QuarkusTestProfile {
        static final int MAX_ATTEMPTS = 3;
        static final Duration READ_TIMEOUT = Duration.ofSeconds(2);

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    Map.entry("lacquer.worker.generator", "openai"),
                    Map.entry("lacquer.worker.openai.max-concurrent-calls", "2"),
                    Map.entry("lacquer.worker.openai.connect-timeout", "1s"),
                    Map.entry("lacquer.worker.openai.read-timeout", READ_TIMEOUT.toMillis() + "ms"),
                    Map.entry("lacquer.worker.openai.retry.max-attempts", Integer.toString(MAX_ATTEMPTS)),
                    Map.entry("lacquer.worker.openai.retry.initial-backoff", "50ms"),
                    Map.entry("lacquer.worker.openai.retry.max-backoff", "200ms"),
                    Map.entry("lacquer.worker.openai.retry.max-elapsed", "60s"),
                    Map.entry("lacquer.worker.openai.rate-limit.default-pause", "300ms"),
                    Map.entry("lacquer.worker.heartbeat-interval", "250ms"));
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OpenAiStubResource.class));
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(40);
    private static final String PROMPT = "cherry red almond nails with tiny daisies";

    private static TopicWatcher events;

    OpenAiStub stub;

    @Inject
    S3Client s3;

    @Inject
    OpenAiMetrics openAiMetrics;

    @ConfigProperty(name = "lacquer.worker.storage.bucket")
    String bucket;

    @BeforeAll
    static void watch() {
        events = new TopicWatcher(Topics.EVENTS);
    }

    @AfterAll
    static void stopWatching() {
        if (events != null) {
            events.close();
        }
    }

    @BeforeEach
    void resetStub() {
        stub.reset();
    }

    @Test
    void editsThePhotoAndReportsUsageRequestIdModelAndTemplate() {
        UUID jobId = UUID.randomUUID();
        String userId = RequestSender.newUser();
        try (RequestSender sender = new RequestSender(s3, bucket)) {
            sender.requestWithPhoto(jobId, userId, 2, TestPhotos.jpeg(640, 480));
        }
        GenerationCompleted completed = outcome(jobId, GenerationCompleted.class);

        assertEquals(1, stub.calls().size(), "one model call for both images");
        Call call = stub.calls().getFirst();
        assertEquals(200, call.status());
        assertEquals("Bearer " + OpenAiStub.API_KEY, call.authorization());
        assertEquals("image/jpeg", call.imageContentType());
        assertEquals("photo.jpg", call.imageFileName());
        Map<String, String> fields = call.fields();
        assertEquals("gpt-image-1", fields.get("model"));
        assertEquals("2", fields.get("n"));
        assertEquals("auto", fields.get("size"));
        assertEquals("medium", fields.get("quality"));
        assertEquals("png", fields.get("output_format"));
        assertTrue(fields.get("prompt").contains("\"" + PROMPT + "\""), fields.get("prompt"));
        assertTrue(fields.get("prompt").contains("Nail shape: almond."), fields.get("prompt"));
        assertTrue(fields.get("prompt").contains("Colours: #c8102e, #f4a6c1."), fields.get("prompt"));

        assertEquals("gpt-image-1", completed.model());
        assertEquals("nail-v1", completed.promptTemplateVersion());
        assertEquals(call.requestId(), completed.providerRequestId());
        assertTrue(completed.providerRequestId().startsWith("req_"));
        // 640×480 asks for a landscape picture at medium quality: 1584 output tokens an image.
        assertEquals(2 * 1584L, completed.usage().outputTokens());
        assertTrue(completed.usage().inputTokens() > 323);
        assertEquals(completed.usage().inputTokens() + completed.usage().outputTokens(),
                completed.usage().totalTokens());
        assertFalse(completed.fromStorage());
        assertEquals(List.of(ObjectKeys.result(userId, jobId, 0), ObjectKeys.result(userId, jobId, 1)),
                completed.resultImageKeys());

        for (String key : completed.resultImageKeys()) {
            BufferedImage result = Images.read(s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray());
            assertEquals(1536, result.getWidth());
            assertEquals(1024, result.getHeight());
        }
        for (String key : completed.thumbnailKeys()) {
            BufferedImage thumb = Images.read(s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray());
            assertEquals(256, thumb.getWidth());
            assertEquals(171, thumb.getHeight());
        }
    }

    @Test
    void webpPhotoIsSentAsWebpAndARedeliveryIsAnsweredFromStorage() {
        UUID jobId = UUID.randomUUID();
        String userId = RequestSender.newUser();
        try (RequestSender sender = new RequestSender(s3, bucket)) {
            String key = sender.storeOriginal(userId, jobId, TestPhotos.webp(), "image/webp");
            GenerationRequested request = sender.request(jobId, userId, 1, key, "image/webp");
            sender.send(request);
            GenerationCompleted first = outcome(jobId, GenerationCompleted.class);
            assertEquals("image/webp", stub.calls().getFirst().imageContentType());
            assertEquals("photo.webp", stub.calls().getFirst().imageFileName());

            sender.send(request);
            await().atMost(TIMEOUT).until(() -> Events.ofType(events, jobId, GenerationCompleted.class).size() == 2);
            GenerationCompleted second = Events.ofType(events, jobId, GenerationCompleted.class).get(1);
            assertTrue(second.fromStorage());
            assertEquals(first.providerRequestId(), second.providerRequestId());
            assertEquals(first.usage(), second.usage());
            assertEquals(1, stub.calls().size(), "no second model call for a redelivery");
        }
    }

    @Test
    void moderationBlockedFailsAsContentPolicyWithoutRetry() {
        stub.always(Answer.MODERATION_BLOCKED);
        GenerationFailed failed = failedJob(TestPhotos.jpeg(320, 240), ModelOptions.defaults());
        assertFailure(failed, ErrorCode.CONTENT_POLICY, false, 1);
        assertEquals(400, stub.calls().getFirst().status());
    }

    @Test
    void photoTheProviderCannotReadFailsAsInvalidInputWithoutRetry() {
        byte[] png = TestPhotos.png(400, 300);
        GenerationFailed failed = failedJob(Arrays.copyOf(png, png.length / 2), ModelOptions.defaults());
        assertFailure(failed, ErrorCode.INVALID_INPUT, false, 1);
        assertTrue(failed.detail().contains("invalid_image_file"), failed.detail());
    }

    @Test
    void parameterTheProviderRefusesFailsAsInvalidInputWithoutRetry() {
        GenerationFailed failed = failedJob(TestPhotos.jpeg(320, 240), new ModelOptions(null, "999x999", null, null));
        assertFailure(failed, ErrorCode.INVALID_INPUT, false, 1);
        assertTrue(failed.detail().contains("param size"), failed.detail());
    }

    @Test
    void unknownPromptTemplateFailsBeforeAnyModelCall() {
        GenerationFailed failed = failedJob(TestPhotos.jpeg(320, 240), new ModelOptions(null, null, null, "nail-v0"));
        assertFailure(failed, ErrorCode.INVALID_INPUT, false, 0);
    }

    @Test
    void rejectedKeyFailsAsProviderConfigurationAndCountsInTheMetric() {
        double before = openAiMetrics.configurationErrors();
        stub.always(Answer.REJECT_KEY);
        GenerationFailed failed = failedJob(TestPhotos.jpeg(320, 240), ModelOptions.defaults());
        assertFailure(failed, ErrorCode.PROVIDER_CONFIGURATION, false, 1);
        assertEquals(before + 1, openAiMetrics.configurationErrors());
        assertTrue(failed.detail().contains("HTTP 401 invalid_api_key"), failed.detail());
        assertFalse(failed.detail().contains(OpenAiStub.API_KEY), "the key is never reported");
    }

    @Test
    void insufficientQuotaFailsAsProviderQuotaWithoutRetry() {
        stub.always(Answer.INSUFFICIENT_QUOTA);
        GenerationFailed failed = failedJob(TestPhotos.jpeg(320, 240), ModelOptions.defaults());
        assertFailure(failed, ErrorCode.PROVIDER_QUOTA, false, 1);
    }

    @Test
    void rateLimitIsWaitedOutAndHoldsBackEveryOtherModelCall() throws InterruptedException {
        // Long enough that the second job surely arrives during the pause, even on a loaded machine.
        Duration retryAfter = Duration.ofMillis(3000);
        stub.firstCalls(1, Answer.RATE_LIMITED).retryAfter(retryAfter);
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        try (RequestSender sender = new RequestSender(s3, bucket)) {
            sender.requestWithPhoto(first, RequestSender.newUser(), 1, TestPhotos.jpeg(320, 240));
            await().atMost(TIMEOUT).until(() -> !stub.calls().isEmpty());
            Thread.sleep(100);
            // A job that arrives while the provider is rate-limiting us must wait too, not call at once.
            sender.requestWithPhoto(second, RequestSender.newUser(), 1, TestPhotos.jpeg(320, 240));
        }
        outcome(first, GenerationCompleted.class);
        outcome(second, GenerationCompleted.class);

        List<Call> calls = stub.calls().stream().sorted(Comparator.comparing(Call::receivedAt)).toList();
        assertEquals(3, calls.size(), "the 429, its retry, the second job's call");
        assertEquals(429, calls.getFirst().status());
        Instant reopens = calls.getFirst().answeredAt().plus(retryAfter);
        for (Call later : calls.subList(1, calls.size())) {
            assertFalse(later.receivedAt().isBefore(reopens.minusMillis(50)),
                    "a call at " + later.receivedAt() + " during the pause until " + reopens);
            assertEquals(200, later.status());
        }
        Instant secondStarted = Events.ofType(events, second, GenerationStarted.class).getFirst().occurredAt();
        assertTrue(secondStarted.isBefore(reopens.minusMillis(500)),
                "the second job was started, then held at the gate: started " + secondStarted);
    }

    @Test
    void rateLimitPastTheRetryBudgetFailsRetryablyAsProviderUnavailable() {
        stub.always(Answer.RATE_LIMITED).retryAfter(Duration.ofMillis(100));
        GenerationFailed failed = failedJob(TestPhotos.jpeg(320, 240), ModelOptions.defaults());
        assertFailure(failed, ErrorCode.PROVIDER_UNAVAILABLE, true, OpenAi.MAX_ATTEMPTS);
    }

    @Test
    void serverErrorsAreRetriedWithBackoffUntilOneSucceeds() {
        stub.firstCalls(1, Answer.SERVER_ERROR).firstCalls(1, Answer.OVERLOADED);
        UUID jobId = UUID.randomUUID();
        try (RequestSender sender = new RequestSender(s3, bucket)) {
            sender.requestWithPhoto(jobId, RequestSender.newUser(), 1, TestPhotos.jpeg(320, 240));
        }
        GenerationCompleted completed = outcome(jobId, GenerationCompleted.class);
        assertEquals(List.of(500, 503, 200), stub.calls().stream().map(Call::status).toList());
        assertEquals(stub.calls().get(2).requestId(), completed.providerRequestId(), "the request id of the success");
    }

    @Test
    void serverErrorsPastTheRetryBudgetFailRetryablyAsProviderUnavailable() {
        stub.always(Answer.SERVER_ERROR);
        GenerationFailed failed = failedJob(TestPhotos.jpeg(320, 240), ModelOptions.defaults());
        assertFailure(failed, ErrorCode.PROVIDER_UNAVAILABLE, true, OpenAi.MAX_ATTEMPTS);
    }

    @Test
    void timeoutAndDroppedConnectionAreRetried() {
        stub.firstCalls(1, Answer.SLOW).slowFor(OpenAi.READ_TIMEOUT.plusSeconds(1))
                .firstCalls(1, Answer.DROP_CONNECTION);
        UUID jobId = UUID.randomUUID();
        try (RequestSender sender = new RequestSender(s3, bucket)) {
            sender.requestWithPhoto(jobId, RequestSender.newUser(), 1, TestPhotos.jpeg(320, 240));
        }
        outcome(jobId, GenerationCompleted.class);
        await().atMost(TIMEOUT).until(() -> stub.calls().size() == 3);
        assertEquals(1, stub.calls().stream().filter(c -> c.status() == 0).count(), "one dropped call");
    }

    @Test
    void modelCallsInFlightStayWithinTheConfiguredBound() {
        stub.delay(Duration.ofMillis(700));
        List<UUID> jobs = IntStream.range(0, 5).mapToObj(i -> UUID.randomUUID()).toList();
        try (RequestSender sender = new RequestSender(s3, bucket)) {
            for (UUID jobId : jobs) {
                sender.requestWithPhoto(jobId, RequestSender.newUser(), 1, TestPhotos.jpeg(320, 240));
            }
        }
        jobs.forEach(jobId -> outcome(jobId, GenerationCompleted.class));
        assertEquals(5, stub.calls().size());
        assertEquals(2, stub.maxInFlight(), "lacquer.worker.openai.max-concurrent-calls=2");
    }

    @Test
    void cancelDuringTheModelCallEndsTheJobWithoutWaitingForTheAnswer() {
        stub.always(Answer.SLOW).slowFor(Duration.ofMillis(1800));
        UUID jobId = UUID.randomUUID();
        String userId = RequestSender.newUser();
        try (RequestSender sender = new RequestSender(s3, bucket)) {
            sender.requestWithPhoto(jobId, userId, 1, TestPhotos.jpeg(320, 240));
            await().atMost(TIMEOUT).until(() -> stub.inFlight() == 1);
            sender.cancel(jobId, userId);
        }
        outcome(jobId, GenerationCanceled.class);
        ConsumerRecord<String, String> canceled = Events.recordsOfType(events, jobId, GenerationCanceled.class)
                .getFirst();
        await().atMost(TIMEOUT).until(() -> stub.calls().size() == 1);
        assertTrue(canceled.timestamp() < stub.calls().getFirst().answeredAt().toEpochMilli(),
                "canceled before the provider answered");
        assertTrue(Events.ofType(events, jobId, GenerationCompleted.class).isEmpty());
    }

    private GenerationFailed failedJob(byte[] photo, ModelOptions options) {
        UUID jobId = UUID.randomUUID();
        String userId = RequestSender.newUser();
        try (RequestSender sender = new RequestSender(s3, bucket)) {
            String key = sender.storeOriginal(userId, jobId, photo, "image/jpeg");
            sender.send(GenerationRequested.of(jobId, userId, 1, PROMPT, RequestSender.SETTINGS, key, "image/jpeg", 1,
                    options));
        }
        GenerationFailed failed = outcome(jobId, GenerationFailed.class);
        assertTrue(Events.ofType(events, jobId, GenerationCompleted.class).isEmpty());
        return failed;
    }

    private void assertFailure(GenerationFailed failed, ErrorCode code, boolean retryable, int modelCalls) {
        assertEquals(code, failed.errorCode(), failed.detail());
        assertEquals(code.userMessage(), failed.userMessage());
        assertEquals(retryable, failed.retryable());
        assertNotNull(failed.detail());
        assertFalse(failed.detail().contains(PROMPT), "the prompt is never reported");
        assertEquals(modelCalls, stub.calls().size(), "model calls: " + stub.calls());
    }

    /** Waits for the job's outcome event and checks it is the last word and of the expected type. */
    private static <T extends GenerationEvent> T outcome(UUID jobId, Class<T> type) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> Events.of(events, jobId).stream()
                .anyMatch(e -> e instanceof GenerationCompleted || e instanceof GenerationFailed
                        || e instanceof GenerationCanceled));
        GenerationEvent last = Events.of(events, jobId).stream()
                .filter(e -> e instanceof GenerationCompleted || e instanceof GenerationFailed
                        || e instanceof GenerationCanceled)
                .findFirst().orElseThrow();
        assertTrue(type.isInstance(last), "expected " + type.getSimpleName() + ", got " + last);
        return type.cast(last);
    }
}
