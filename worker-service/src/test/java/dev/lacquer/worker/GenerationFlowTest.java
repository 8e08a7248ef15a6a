package dev.lacquer.worker;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lacquer.model.ErrorCode;
import dev.lacquer.model.ObjectKeys;
import dev.lacquer.model.Topics;
import dev.lacquer.model.event.CloudEventHeaders;
import dev.lacquer.model.event.EventCodec;
import dev.lacquer.model.event.GenerationCompleted;
import dev.lacquer.model.event.GenerationFailed;
import dev.lacquer.model.event.GenerationProgress;
import dev.lacquer.model.event.GenerationRequested;
import dev.lacquer.model.event.GenerationStarted;
import dev.lacquer.worker.generation.local.LocalDesignRenderer;
import dev.lacquer.worker.imaging.Images;
import dev.lacquer.worker.support.Events;
import dev.lacquer.worker.support.RequestSender;
import dev.lacquer.worker.support.TestPhotos;
import dev.lacquer.worker.support.TopicWatcher;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The worker end to end against the real Kafka and the real S3-compatible store: requests in with a plain producer,
 * events out with a plain consumer, results read back from the bucket.
 */
@QuarkusTest
class GenerationFlowTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static TopicWatcher events;
    private static TopicWatcher deadLetters;

    @Inject
    S3Client s3;

    @Inject
    MeterRegistry meters;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "lacquer.worker.storage.bucket")
    String bucket;

    @BeforeAll
    static void watch() {
        events = new TopicWatcher(Topics.EVENTS);
        deadLetters = new TopicWatcher(Topics.REQUESTS_DLQ);
    }

    @AfterAll
    static void stopWatching() {
        if (events != null) {
            events.close();
        }
        if (deadLetters != null) {
            deadLetters.close();
        }
    }

    @Test
    void requestIsGeneratedStoredAndReported() throws Exception {
        UUID jobId = UUID.randomUUID();
        String userId = RequestSender.newUser();
        try (RequestSender sender = new RequestSender(s3, bucket)) {
            sender.requestWithPhoto(jobId, userId, 3, TestPhotos.jpeg(1600, 1200));
        }

        GenerationCompleted completed = awaitOne(jobId, GenerationCompleted.class);
        List<GenerationStarted> started = Events.ofType(events, jobId, GenerationStarted.class);
        assertEquals(1, started.size());
        assertNotNull(started.getFirst().workerId());
        List<GenerationProgress> progress = Events.ofType(events, jobId, GenerationProgress.class);
        // After each image but the last, whose report is the completion (a heartbeat, 5 s apart here, would repeat
        // the count so far).
        assertEquals(List.of(1, 2), progress.stream().map(GenerationProgress::imagesDone).distinct().toList());
        assertEquals(List.of(33, 66), progress.stream().map(GenerationProgress::percent).distinct().toList());
        assertTrue(progress.stream().allMatch(p -> p.imageCount() == 3));

        // Order on the topic: started first, completed last.
        List<String> types = Events.of(events, jobId).stream().map(e -> e.type()).toList();
        assertEquals(GenerationStarted.TYPE, types.getFirst());
        assertEquals(GenerationCompleted.TYPE, types.getLast());

        assertFalse(completed.fromStorage());
        assertEquals(LocalDesignRenderer.MODEL, completed.model());
        assertEquals(LocalDesignRenderer.TEMPLATE_VERSION, completed.promptTemplateVersion());
        assertEquals(1, completed.attempt());
        assertEquals(3, completed.resultImageKeys().size());
        assertEquals(3, completed.thumbnailKeys().size());
        for (int i = 0; i < 3; i++) {
            assertEquals(ObjectKeys.result(userId, jobId, i), completed.resultImageKeys().get(i));
            assertEquals(ObjectKeys.thumbnail(userId, jobId, i), completed.thumbnailKeys().get(i));

            ResponseBytes<GetObjectResponse> result = get(completed.resultImageKeys().get(i));
            assertEquals("image/png", result.response().contentType());
            assertEquals("private, max-age=31536000, immutable", result.response().cacheControl());
            BufferedImage image = Images.read(result.asByteArray());
            assertEquals(1024, image.getWidth());
            assertEquals(768, image.getHeight());
            assertPng(result.asByteArray());

            ResponseBytes<GetObjectResponse> thumb = get(completed.thumbnailKeys().get(i));
            assertEquals("image/png", thumb.response().contentType());
            assertPng(thumb.asByteArray());
            BufferedImage small = Images.read(thumb.asByteArray());
            assertEquals(256, small.getWidth());
            assertEquals(192, small.getHeight());
        }

        JsonNode manifest = json.readTree(get(ObjectKeys.manifest(userId, jobId)).asByteArray());
        assertEquals(jobId.toString(), manifest.get("jobId").asText());
        assertEquals(completed.resultImageKeys(), json.convertValue(manifest.get("resultImageKeys"), List.class));
        assertEquals(completed.thumbnailKeys(), json.convertValue(manifest.get("thumbnailKeys"), List.class));
        assertEquals(LocalDesignRenderer.MODEL, manifest.get("model").asText());
        assertEquals(LocalDesignRenderer.TEMPLATE_VERSION, manifest.get("promptTemplateVersion").asText());
    }

    @Test
    void everyEventCarriesTheJobKeyAndCloudEventsHeaders() {
        UUID jobId = UUID.randomUUID();
        try (RequestSender sender = new RequestSender(s3, bucket)) {
            sender.requestWithPhoto(jobId, RequestSender.newUser(), 2, TestPhotos.jpeg(640, 480));
        }
        awaitOne(jobId, GenerationCompleted.class);

        List<ConsumerRecord<String, String>> records = Events.records(events, jobId);
        assertTrue(records.size() >= 3, "started, progress (after the first image) and completed");
        for (ConsumerRecord<String, String> record : records) {
            var event = EventCodec.decode(record.value());
            Map<String, String> headers = TopicWatcher.headers(record);
            assertEquals(jobId.toString(), record.key());
            assertEquals("1.0", headers.get(CloudEventHeaders.SPEC_VERSION));
            assertEquals(event.eventId().toString(), headers.get(CloudEventHeaders.ID));
            assertEquals("dev.lacquer." + event.type(), headers.get(CloudEventHeaders.TYPE));
            assertEquals("/lacquer/worker", headers.get(CloudEventHeaders.SOURCE));
            assertEquals(jobId.toString(), headers.get(CloudEventHeaders.SUBJECT));
            assertNotNull(headers.get(CloudEventHeaders.TIME));
            assertEquals("application/json", headers.get(CloudEventHeaders.CONTENT_TYPE));
        }
    }

    @Test
    void redeliveredRequestIsAnsweredFromStorageWithoutGeneratingAgain() {
        UUID jobId = UUID.randomUUID();
        String userId = RequestSender.newUser();
        try (RequestSender sender = new RequestSender(s3, bucket)) {
            GenerationRequested request = sender.requestWithPhoto(jobId, userId, 2, TestPhotos.jpeg(800, 600));
            GenerationCompleted first = awaitOne(jobId, GenerationCompleted.class);
            double callsBefore = generatorCalls();

            // The same record again, as a redelivery after a lost commit or a re-request by the API's sweep would be.
            sender.send(request);
            await().atMost(TIMEOUT).until(() -> Events.ofType(events, jobId, GenerationCompleted.class).size() == 2);

            GenerationCompleted second = Events.ofType(events, jobId, GenerationCompleted.class).get(1);
            assertTrue(second.fromStorage());
            assertEquals(first.resultImageKeys(), second.resultImageKeys());
            assertEquals(first.thumbnailKeys(), second.thumbnailKeys());
            assertEquals(first.model(), second.model());
            assertEquals(first.generationMillis(), second.generationMillis());
            assertEquals(callsBefore, generatorCalls(), "the generator was not called again");
            // The start is reported while the manifest is looked up: the redelivery reports one too, before its
            // completion (the API charges a job at most once).
            List<String> types = Events.of(events, jobId).stream().map(e -> e.type()).toList();
            assertEquals(GenerationStarted.TYPE, types.get(types.lastIndexOf(GenerationCompleted.TYPE) - 1),
                    types.toString());
        }
    }

    @Test
    void unreadableRecordsGoToTheDeadLetterTopicAndIntakeGoesOn() {
        String garbageKey = "garbage-" + UUID.randomUUID();
        String wrongTypeKey = UUID.randomUUID().toString();
        UUID jobId = UUID.randomUUID();
        try (RequestSender sender = new RequestSender(s3, bucket)) {
            sender.sendRaw(garbageKey, "{this is not json");
            // A readable event that does not belong on the requests topic.
            sender.send(new GenerationStarted(UUID.randomUUID(), GenerationStarted.TYPE, UUID.fromString(wrongTypeKey),
                    "someone", 1, java.time.Instant.now(), "elsewhere"));
            sender.requestWithPhoto(jobId, RequestSender.newUser(), 1, TestPhotos.jpeg(640, 480));
        }

        await().atMost(TIMEOUT).until(() -> !deadLetters.withKey(garbageKey).isEmpty()
                && !deadLetters.withKey(wrongTypeKey).isEmpty());
        ConsumerRecord<String, String> dead = deadLetters.withKey(garbageKey).getFirst();
        assertEquals("{this is not json", dead.value());
        assertTrue(TopicWatcher.header(dead, "dead-letter-reason").startsWith("unreadable record"),
                TopicWatcher.header(dead, "dead-letter-reason"));
        assertEquals(Topics.REQUESTS, TopicWatcher.header(dead, "dead-letter-topic"));
        assertNotNull(TopicWatcher.header(dead, "dead-letter-partition"));
        assertNotNull(TopicWatcher.header(dead, "dead-letter-offset"));

        ConsumerRecord<String, String> wrongType = deadLetters.withKey(wrongTypeKey).getFirst();
        assertTrue(TopicWatcher.header(wrongType, "dead-letter-reason").contains("unexpected event type GenerationStarted"));

        GenerationCompleted completed = awaitOne(jobId, GenerationCompleted.class);
        assertEquals(1, completed.resultImageKeys().size());
        assertTrue(Events.of(events, UUID.fromString(wrongTypeKey)).isEmpty(), "nothing reported for a dead letter");
    }

    @Test
    void photoThatIsNotAnImageFailsAsInvalidInputNotRetryable() {
        UUID jobId = UUID.randomUUID();
        String userId = RequestSender.newUser();
        try (RequestSender sender = new RequestSender(s3, bucket)) {
            sender.requestWithPhoto(jobId, userId, 2, "definitely not a jpeg".getBytes());
        }
        GenerationFailed failed = awaitOne(jobId, GenerationFailed.class);
        assertEquals(ErrorCode.INVALID_INPUT, failed.errorCode());
        assertEquals(ErrorCode.INVALID_INPUT.userMessage(), failed.userMessage());
        assertFalse(failed.retryable());
        assertTrue(Events.ofType(events, jobId, GenerationCompleted.class).isEmpty());
        assertMissing(ObjectKeys.manifest(userId, jobId));
    }

    @Test
    void missingPhotoAndForeignPhotoKeyFailAsInvalidInput() {
        UUID missing = UUID.randomUUID();
        UUID foreign = UUID.randomUUID();
        String userId = RequestSender.newUser();
        try (RequestSender sender = new RequestSender(s3, bucket)) {
            sender.send(sender.request(missing, userId, 1, ObjectKeys.original(userId, missing), "image/jpeg"));
            // Another user's photo: the worker must not read it for this user.
            String otherKey = sender.storeOriginal("someone-else", foreign, TestPhotos.jpeg(320, 240), "image/jpeg");
            sender.send(sender.request(foreign, userId, 1, otherKey, "image/jpeg"));
        }
        for (UUID jobId : List.of(missing, foreign)) {
            GenerationFailed failed = awaitOne(jobId, GenerationFailed.class);
            assertEquals(ErrorCode.INVALID_INPUT, failed.errorCode());
            assertFalse(failed.retryable());
        }
    }

    @Test
    void webpAndPngPhotosAreAccepted() {
        UUID webp = UUID.randomUUID();
        UUID png = UUID.randomUUID();
        String userId = RequestSender.newUser();
        try (RequestSender sender = new RequestSender(s3, bucket)) {
            String webpKey = sender.storeOriginal(userId, webp, TestPhotos.webp(), "image/webp");
            sender.send(sender.request(webp, userId, 1, webpKey, "image/webp"));
            String pngKey = sender.storeOriginal(userId, png, TestPhotos.png(500, 700), "image/png");
            sender.send(sender.request(png, userId, 1, pngKey, "image/png"));
        }
        BufferedImage fromWebp = Images.read(get(awaitOne(webp, GenerationCompleted.class).resultImageKeys().getFirst())
                .asByteArray());
        assertEquals(320, fromWebp.getWidth());
        assertEquals(240, fromWebp.getHeight());
        BufferedImage fromPng = Images.read(get(awaitOne(png, GenerationCompleted.class).resultImageKeys().getFirst())
                .asByteArray());
        assertEquals(500, fromPng.getWidth());
        assertEquals(700, fromPng.getHeight());
    }

    @Test
    void healthAndMetricsAreServed() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("object-store"));
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("lacquer_worker_jobs_in_flight"));
    }

    private <T extends dev.lacquer.model.event.GenerationEvent> T awaitOne(UUID jobId, Class<T> type) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50))
                .until(() -> !Events.ofType(events, jobId, type).isEmpty());
        return Events.ofType(events, jobId, type).getFirst();
    }

    private double generatorCalls() {
        var counter = meters.find("lacquer.worker.generator.calls").tag("generator", "local").counter();
        return counter == null ? 0 : counter.count();
    }

    private ResponseBytes<GetObjectResponse> get(String key) {
        return s3.getObjectAsBytes(r -> r.bucket(bucket).key(key));
    }

    private void assertMissing(String key) {
        try {
            get(key);
            throw new AssertionError(key + " should not exist");
        } catch (NoSuchKeyException expected) {
            // fine
        }
    }

    private static void assertPng(byte[] bytes) {
        byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
        for (int i = 0; i < signature.length; i++) {
            assertEquals(signature[i], bytes[i], "PNG signature byte " + i);
        }
    }
}
