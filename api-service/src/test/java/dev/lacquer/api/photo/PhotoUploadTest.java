package dev.lacquer.api.photo;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lacquer.api.credit.LedgerAudit;
import dev.lacquer.api.support.ApiClient;
import dev.lacquer.api.support.Kafka;
import dev.lacquer.api.support.TestPhotos;
import dev.lacquer.model.ObjectKeys;
import dev.lacquer.model.Topics;
import dev.lacquer.model.event.EventCodec;
import dev.lacquer.model.event.GenerationRequested;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The user's photo through {@code POST /api/generate-nail-design-job}, as multipart upload and as JSON data URL, with
 * real files of each format: what is stored is upright, at most 1536 px, PNG or JPEG with the right content type on
 * the object and in the request event; what is refused leaves no job, no object and no credit change.
 */
@QuarkusTest
class PhotoUploadTest {

    private static final String CREATE = "/api/generate-nail-design-job";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    S3Client s3;

    @Inject
    LedgerAudit ledger;

    @AfterEach
    void booksBalance() {
        assertEquals(List.of(), ledger.violations());
    }

    @Test
    void rotatedJpegUploadIsStoredUprightWithSwappedDimensions() {
        ApiClient user = ApiClient.newUser("upload");
        try (KafkaConsumer<String, String> requests = Kafka.tail(Topics.REQUESTS)) {
            UUID jobId = created(upload(user, PhotoFixtures.read("hand-exif6.jpg"), "hand.jpg", "image/jpeg")
                    .multiPart("designSettings", "{\"shape\":\"coffin\",\"colors\":[\"#FF3366\"]}")
                    .multiPart("imageCount", "3")
                    .post(CREATE));
            user.job(jobId).then().statusCode(200).body("imageCount", equalTo(3))
                    .body("designSettings.shape", equalTo("coffin"))
                    .body("designSettings.colors", hasItem("#ff3366"));

            GenerationRequested request = requested(requests, jobId);
            assertEquals("image/jpeg", request.originalImageContentType());
            assertEquals(3, request.imageCount());
            ResponseBytes<GetObjectResponse> stored = original(request.originalImageKey());
            assertEquals("image/jpeg", stored.response().contentType());
            BufferedImage image = PhotoFixtures.decode(stored.asByteArray());
            assertEquals(300, image.getWidth());
            assertEquals(400, image.getHeight());
            assertTrue(PhotoFixtures.red(image, 270, 20), "upright: the red corner is top-right");
            assertEquals(1, ExifOrientation.of(stored.asByteArray(), ImageFormats.JPEG));
        }
    }

    @Test
    void rotatedJpegAsDataUrlIsStoredUprightToo() {
        ApiClient user = ApiClient.newUser("dataurl");
        try (KafkaConsumer<String, String> requests = Kafka.tail(Topics.REQUESTS)) {
            UUID jobId = created(user.create(Map.of("prompt", "red tips", "originalImage",
                    TestPhotos.dataUrl("image/png", PhotoFixtures.read("hand-exif6.jpg")))));
            GenerationRequested request = requested(requests, jobId);
            assertEquals("image/jpeg", request.originalImageContentType(), "the real type, not the declared one");
            BufferedImage image = PhotoFixtures.decode(original(request.originalImageKey()).asByteArray());
            assertEquals(300, image.getWidth());
            assertEquals(400, image.getHeight());
        }
    }

    @Test
    void dataUrlBodyOverOneMegabyteIsAcceptedLikeASmallOne() {
        // Bodies up to quarkus.rest.input-buffer-size (1 MB) are read whole before the create runs; this one goes on
        // as a stream on a worker thread, and must end the same way.
        ApiClient user = ApiClient.newUser("bigdataurl");
        byte[] photo = PhotoFixtures.noisyPng(700, 700);
        assertTrue(photo.length > 1024 * 1024, "the photo alone is over 1 MB: " + photo.length);
        try (KafkaConsumer<String, String> requests = Kafka.tail(Topics.REQUESTS)) {
            UUID jobId = created(user.create(Map.of("prompt", "speckled", "originalImage",
                    TestPhotos.dataUrl("image/png", photo))));
            GenerationRequested request = requested(requests, jobId);
            assertEquals("image/png", request.originalImageContentType());
            BufferedImage stored = PhotoFixtures.decode(original(request.originalImageKey()).asByteArray());
            assertEquals(700, stored.getWidth());
            assertEquals(700, stored.getHeight());
        }
    }

    @Test
    void webpAndLargePngAreNormalisedWithTheirContentTypes() {
        ApiClient user = ApiClient.newUser("formats");
        try (KafkaConsumer<String, String> requests = Kafka.tail(Topics.REQUESTS)) {
            UUID webp = created(upload(user, PhotoFixtures.read("hand.webp"), "hand.webp", "image/webp").post(CREATE));
            UUID png = created(upload(user, PhotoFixtures.png(2400, 3000), "hand.png", "image/png").post(CREATE));

            Map<UUID, GenerationRequested> published = requested(requests, List.of(webp, png));
            GenerationRequested fromWebp = published.get(webp);
            assertEquals("image/jpeg", fromWebp.originalImageContentType());
            ResponseBytes<GetObjectResponse> webpStored = original(fromWebp.originalImageKey());
            assertEquals("image/jpeg", webpStored.response().contentType());
            assertEquals(320, PhotoFixtures.decode(webpStored.asByteArray()).getWidth());

            GenerationRequested fromPng = published.get(png);
            assertEquals("image/png", fromPng.originalImageContentType());
            ResponseBytes<GetObjectResponse> pngStored = original(fromPng.originalImageKey());
            assertEquals("image/png", pngStored.response().contentType());
            BufferedImage scaled = PhotoFixtures.decode(pngStored.asByteArray());
            assertEquals(1229, scaled.getWidth());
            assertEquals(1536, scaled.getHeight());
        }
    }

    @Test
    void nonImageIs415AndLeavesNothingBehind() {
        ApiClient user = ApiClient.newUser("nonimage");
        assertRefusedLeavingNothing(user, 415,
                upload(user, PhotoFixtures.notAnImage(), "hand.jpg", "image/jpeg").post(CREATE));
        assertRefusedLeavingNothing(user, 415, user.create(Map.of("prompt", "p", "originalImage",
                TestPhotos.dataUrl("image/jpeg", PhotoFixtures.notAnImage()))));
    }

    @Test
    void truncatedPngIs400AndLeavesNothingBehind() {
        ApiClient user = ApiClient.newUser("truncated");
        byte[] truncated = PhotoFixtures.truncated(PhotoFixtures.png(600, 400));
        assertRefusedLeavingNothing(user, 400, upload(user, truncated, "hand.png", "image/png").post(CREATE));
        assertRefusedLeavingNothing(user, 400, user.create(Map.of("prompt", "p", "originalImage",
                TestPhotos.dataUrl("image/png", truncated))));
        assertRefusedLeavingNothing(user, 400, upload(user,
                PhotoFixtures.truncated(PhotoFixtures.read("hand-exif6.jpg")), "hand.jpg", "image/jpeg").post(CREATE));
    }

    @Test
    void oversizedFileIs413AndLeavesNothingBehind() {
        ApiClient user = ApiClient.newUser("oversized");
        byte[] big = new byte[21 * 1024 * 1024];
        byte[] png = PhotoFixtures.png(8, 8);
        System.arraycopy(png, 0, big, 0, png.length);
        assertRefusedLeavingNothing(user, 413, upload(user, big, "hand.png", "image/png").post(CREATE));
    }

    @Test
    void formFieldsAreValidatedLikeTheJsonOnes() {
        ApiClient user = ApiClient.newUser("formfields");
        byte[] photo = PhotoFixtures.read("hand.webp");
        Response noFile = user.request().multiPart("prompt", "red").post(CREATE);
        assertRefusedLeavingNothing(user, 400, noFile);
        noFile.then().body("errors.field", hasItem("originalImage"));
        Response badFields = upload(user, photo, "hand.webp", "image/webp")
                .multiPart("designSettings", "{\"shape\":").multiPart("imageCount", "two").post(CREATE);
        assertRefusedLeavingNothing(user, 400, badFields);
        badFields.then().body("errors.field", hasItem("designSettings")).body("errors.field", hasItem("imageCount"));
        Response badShape = upload(user, photo, "hand.webp", "image/webp")
                .multiPart("designSettings", "{\"shape\":\"heart\"}").multiPart("imageCount", "9").post(CREATE);
        assertRefusedLeavingNothing(user, 400, badShape);
        badShape.then().body("errors.field", hasItem("designSettings.shape")).body("errors.field", hasItem("imageCount"));
    }

    @Test
    void idempotencyKeyReplaysAMultipartCreate() {
        ApiClient user = ApiClient.newUser("formidem");
        byte[] photo = PhotoFixtures.read("hand-exif6.jpg");
        String first = upload(user, photo, "hand.jpg", "image/jpeg").header("Idempotency-Key", "upload-1")
                .post(CREATE).then().statusCode(202).extract().path("jobId");
        upload(user, photo, "hand.jpg", "image/jpeg").header("Idempotency-Key", "upload-1")
                .post(CREATE).then().statusCode(202).body("jobId", equalTo(first));
        upload(user, PhotoFixtures.read("hand.webp"), "hand.webp", "image/webp").header("Idempotency-Key", "upload-1")
                .post(CREATE).then().statusCode(422);
        user.request().get("/api/user/generation-jobs").then().body("total", equalTo(1));
    }

    private static RequestSpecification upload(ApiClient user, byte[] photo, String fileName, String type) {
        return user.request().multiPart("originalImage", fileName, photo, type)
                .multiPart("prompt", "glazed donut chrome");
    }

    private static UUID created(Response response) {
        return UUID.fromString(response.then().statusCode(202).extract().path("jobId"));
    }

    private void assertRefusedLeavingNothing(ApiClient user, int status, Response response) {
        int balance = user.balance();
        int available = user.available();
        response.then().statusCode(status).contentType("application/problem+json");
        user.request().get("/api/user/generation-jobs").then().statusCode(200).body("total", equalTo(0));
        assertEquals(balance, user.balance());
        assertEquals(available, user.available());
        assertEquals(20, available, "no credit reserved");
        assertEquals(0, s3.listObjectsV2(r -> r.bucket("lacquer").prefix("originals/" + user.user() + "/")).keyCount(),
                "no photo stored");
    }

    private ResponseBytes<GetObjectResponse> original(String key) {
        return s3.getObjectAsBytes(r -> r.bucket("lacquer").key(key));
    }

    private static GenerationRequested requested(KafkaConsumer<String, String> requests, UUID jobId) {
        return requested(requests, List.of(jobId)).get(jobId);
    }

    /** The request events of these jobs (records of other jobs read meanwhile are dropped). */
    private static Map<UUID, GenerationRequested> requested(KafkaConsumer<String, String> requests, List<UUID> jobs) {
        List<String> keys = jobs.stream().map(UUID::toString).toList();
        List<ConsumerRecord<String, String>> records = Kafka.await(requests, r -> keys.contains(r.key()), jobs.size(),
                WAIT);
        assertEquals(jobs.size(), records.size(), "one request for each of " + jobs);
        Map<UUID, GenerationRequested> byJob = new java.util.HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            GenerationRequested request = (GenerationRequested) EventCodec.decode(record.value());
            assertTrue(request.originalImageKey().startsWith(ObjectKeys.original(request.userId(), request.jobId())));
            byJob.put(request.jobId(), request);
        }
        return byJob;
    }
}
