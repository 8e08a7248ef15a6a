package dev.lacquer.api.job;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lacquer.api.credit.LedgerAudit;
import dev.lacquer.api.support.ApiClient;
import dev.lacquer.api.support.Kafka;
import dev.lacquer.api.support.WorkerSide;
import dev.lacquer.model.ErrorCode;
import dev.lacquer.model.Topics;
import dev.lacquer.model.event.EventCodec;
import dev.lacquer.model.event.GenerationCompleted;
import dev.lacquer.model.event.GenerationRequested;
import dev.lacquer.model.event.GenerationStarted;
import dev.lacquer.testsupport.ConsumerGroups;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** A job's whole life through the API, with this test playing the worker on the real topics. */
@QuarkusTest
class JobLifecycleTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    LedgerAudit ledger;

    @Inject
    S3Client s3;

    @AfterEach
    void booksBalance() {
        assertEquals(List.of(), ledger.violations());
    }

    @Test
    void acceptedJobIsPublishedWithItsPhotoStoredAndNothingCharged() {
        ApiClient alice = ApiClient.newUser("alice");
        try (KafkaConsumer<String, String> requests = Kafka.tail(Topics.REQUESTS)) {
            int balanceBefore = alice.balance();

            UUID jobId = alice.createJob("pink chrome with tiny stars", 2);

            alice.job(jobId).then().statusCode(200).body("status", equalTo("pending"))
                    .body("imageCount", equalTo(2)).body("originalImage", startsWith("http"));
            List<ConsumerRecord<String, String>> published = Kafka.await(requests,
                    r -> jobId.toString().equals(r.key()), 1, WAIT);
            assertEquals(1, published.size(), "one GenerationRequested keyed by the job id");
            var request = (GenerationRequested) EventCodec.decode(published.get(0).value());
            assertEquals(2, request.imageCount());
            assertEquals("pink chrome with tiny stars", request.prompt());
            assertEquals("almond", request.designSettings().shape());
            assertEquals("image/png", request.originalImageContentType());
            assertEquals("dev.lacquer.GenerationRequested",
                    new String(published.get(0).headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8));
            assertTrue(s3.headObject(h -> h.bucket("lacquer").key(request.originalImageKey())).contentLength() > 0);
            assertEquals(balanceBefore, alice.balance(), "nothing is charged before generation starts");
            assertEquals(balanceBefore - 2, alice.available(), "the job's cost is reserved");
        }
    }

    @Test
    void completedJobLandsInTheCollectionOnceAndIsAnnouncedUntilSeen() {
        ApiClient alice = ApiClient.newUser("alice");
        int balance = alice.balance();
        UUID jobId = alice.createJob("sunset ombre", 2);
        WorkerSide worker = new WorkerSide(jobId, alice.user());

        GenerationStarted started = worker.started(1);
        Kafka.publishEvent(started);
        await().atMost(WAIT).until(() -> "processing".equals(alice.status(jobId)));
        assertEquals(balance - 2, alice.balance(), "charged when generation starts");
        alice.pending().then().body("activeJobs", hasSize(1)).body("counts.activeDesigns", equalTo(2));

        GenerationCompleted completed = worker.completed(1, 2);
        Kafka.publishEvent(completed);
        await().atMost(WAIT).until(() -> "completed".equals(alice.status(jobId)));

        alice.job(jobId).then().body("resultImages", hasSize(2)).body("autoSaved", equalTo(true))
                .body("resultImages[0]", startsWith("http"));
        alice.looks().then().statusCode(200).body("items", hasSize(2)).body("items[0].prompt", equalTo("sunset ombre"));
        alice.pending().then().body("activeJobs", hasSize(0)).body("completedJobs", hasSize(1))
                .body("counts.completedDesigns", equalTo(2));

        // Duplicates and redeliveries change nothing.
        Kafka.publishEvent(started);
        Kafka.publishEvent(completed);
        Kafka.publishEvent(worker.started(1));
        Kafka.publishEvent(worker.completed(1, 2));
        List<String> first = alice.autoSave(jobId).then().statusCode(200).extract().path("lookIds");
        List<String> second = alice.autoSave(jobId).then().statusCode(200).extract().path("lookIds");
        assertEquals(2, first.size());
        assertEquals(first, second, "auto-save is idempotent");
        waitForEventsToDrain(alice);
        alice.looks().then().body("items", hasSize(2));
        assertEquals(balance - 2, alice.balance(), "charged exactly once");
        alice.pending().then().body("completedJobs", hasSize(0)).body("counts.completedDesigns", equalTo(0));
    }

    @Test
    void finalFailureIsRefundedAndAnnounced() {
        ApiClient bob = ApiClient.newUser("bob");
        int balance = bob.balance();
        UUID jobId = bob.createJob("neon leopard", 2);
        WorkerSide worker = new WorkerSide(jobId, bob.user());

        Kafka.publishEvent(worker.started(1));
        await().atMost(WAIT).until(() -> "processing".equals(bob.status(jobId)));
        Kafka.publishEvent(worker.failed(1, ErrorCode.CONTENT_POLICY, false));
        await().atMost(WAIT).until(() -> "failed".equals(bob.status(jobId)));

        bob.job(jobId).then().body("errorCode", equalTo("CONTENT_POLICY"))
                .body("error", equalTo(ErrorCode.CONTENT_POLICY.userMessage()));
        assertEquals(balance, bob.balance(), "refunded");
        bob.pending().then().body("failedJobs", hasSize(1)).body("counts.failedJobs", equalTo(1));

        Kafka.publishEvent(worker.failed(1, ErrorCode.CONTENT_POLICY, false));
        Kafka.publishEvent(worker.started(1));
        waitForEventsToDrain(bob);
        assertEquals(balance, bob.balance(), "a late start of a failed job charges nothing; refund happened once");
        bob.request().post("/api/generation-job/" + jobId + "/seen").then().statusCode(200);
        bob.pending().then().body("failedJobs", hasSize(0));
    }

    @Test
    void retryableFailureRequestsTheNextAttempt() {
        ApiClient carol = ApiClient.newUser("carol");
        UUID jobId = carol.createJob("matte black", 1);
        WorkerSide worker = new WorkerSide(jobId, carol.user());
        try (KafkaConsumer<String, String> requests = Kafka.tail(Topics.REQUESTS)) {
            Kafka.publishEvent(worker.started(1));
            Kafka.publishEvent(worker.failed(1, ErrorCode.PROVIDER_UNAVAILABLE, true));

            List<ConsumerRecord<String, String>> again = Kafka.await(requests,
                    r -> jobId.toString().equals(r.key()) && r.value().contains("\"attempt\":2"), 1, WAIT);
            assertEquals(1, again.size(), "attempt 2 requested");
            carol.job(jobId).then().body("status", equalTo("processing")).body("attempt", equalTo(2));
        }
        Kafka.publishEvent(worker.started(2));
        Kafka.publishEvent(worker.completed(2, 1));
        await().atMost(WAIT).until(() -> "completed".equals(carol.status(jobId)));
        assertEquals(19, carol.balance(), "one charge across both attempts");
    }

    @Test
    void insufficientCreditsAnswer402AndStoreNothing() {
        ApiClient dave = ApiClient.newUser("dave");
        int available = dave.available();
        for (int i = 0; i < available / 4; i++) {
            dave.createJob("job " + i, 4);
        }
        int left = dave.available(); // fewer than 4: one image more than that is refused
        dave.create(java.util.Map.of("prompt", "one too many", "originalImage",
                        dev.lacquer.api.support.TestPhotos.pngDataUrl(), "imageCount", left + 1))
                .then().statusCode(402).contentType("application/problem+json")
                .body("status", equalTo(402)).body("title", equalTo("Insufficient credits"))
                .body("needed", equalTo(left + 1)).body("available", equalTo(left));
        dave.request().get("/api/user/generation-jobs?size=100").then().body("total", equalTo(available / 4));
    }

    @Test
    void cancelingAPendingJobChargesNothingAndFinishedJobsCannotBeCanceled() {
        ApiClient erin = ApiClient.newUser("erin");
        int balance = erin.balance();
        UUID pending = erin.createJob("to cancel", 2);
        erin.cancel(pending).then().statusCode(200).body("status", equalTo("canceled"));
        assertEquals(balance, erin.available(), "the reservation is released");

        UUID done = erin.createJob("done", 1);
        WorkerSide worker = new WorkerSide(done, erin.user());
        Kafka.publishEvent(worker.started(1));
        Kafka.publishEvent(worker.completed(1, 1));
        await().atMost(WAIT).until(() -> "completed".equals(erin.status(done)));
        erin.cancel(done).then().statusCode(409).contentType("application/problem+json");
    }

    @Test
    void cancelingAProcessingJobAsksTheWorkerAndRefundsWhenItConfirms() {
        ApiClient fay = ApiClient.newUser("fay");
        int balance = fay.balance();
        UUID jobId = fay.createJob("half done", 2);
        WorkerSide worker = new WorkerSide(jobId, fay.user());
        Kafka.publishEvent(worker.started(1));
        await().atMost(WAIT).until(() -> "processing".equals(fay.status(jobId)));
        try (KafkaConsumer<String, String> requests = Kafka.tail(Topics.REQUESTS)) {
            fay.cancel(jobId).then().statusCode(202).body("cancelRequested", equalTo(true));
            assertEquals(1, Kafka.await(requests, r -> jobId.toString().equals(r.key())
                    && r.value().contains("GenerationCancelRequested"), 1, WAIT).size());
        }
        Kafka.publishEvent(worker.canceled(1));
        await().atMost(WAIT).until(() -> "canceled".equals(fay.status(jobId)));
        assertEquals(balance, fay.balance(), "refunded in full");
    }

    @Test
    void anotherUsersJobIsNotFound() {
        ApiClient owner = ApiClient.newUser("owner");
        ApiClient other = ApiClient.newUser("other");
        UUID jobId = owner.createJob("mine", 1);
        other.job(jobId).then().statusCode(404).contentType("application/problem+json");
        other.autoSave(jobId).then().statusCode(404);
        other.cancel(jobId).then().statusCode(404);
        other.request().get("/api/generation-job/not-a-uuid").then().statusCode(404);
        owner.job(jobId).then().statusCode(200);
    }

    @Test
    void anImageUrlReachesItsOwnObjectOnly() {
        ApiClient owner = ApiClient.newUser("url-owner");
        ApiClient other = ApiClient.newUser("url-other");
        UUID ownersJob = owner.createJob("mine", 1);
        UUID othersJob = other.createJob("theirs", 1);
        String url = owner.job(ownersJob).then().extract().path("originalImage");
        io.restassured.RestAssured.given().urlEncodingEnabled(false).get(url).then().statusCode(200);

        String[] pathAndQuery = url.split("\\?", 2);
        String othersKey = "originals/" + other.user() + "/" + othersJob;
        String forged = pathAndQuery[0].replace("originals/" + owner.user() + "/" + ownersJob, othersKey)
                + "?" + pathAndQuery[1];
        io.restassured.RestAssured.given().urlEncodingEnabled(false).get(forged).then().statusCode(403);
        String listing = pathAndQuery[0].substring(0, pathAndQuery[0].indexOf("/originals/"))
                + "?list-type=2&prefix=originals/&" + pathAndQuery[1];
        io.restassured.RestAssured.given().urlEncodingEnabled(false).get(listing).then().statusCode(403);
    }

    @Test
    void unreadableEventsAreDeadLetteredAndTheNextEventStillApplies() {
        ApiClient gus = ApiClient.newUser("gus");
        UUID jobId = gus.createJob("after poison", 1);
        try (KafkaConsumer<String, String> dlq = Kafka.tail(Topics.EVENTS_DLQ)) {
            Kafka.send(Topics.EVENTS, jobId.toString(), "{this is not json");
            Kafka.publishEvent(new WorkerSide(jobId, gus.user()).started(1));
            await().atMost(WAIT).until(() -> "processing".equals(gus.status(jobId)));
            var dead = Kafka.await(dlq, r -> jobId.toString().equals(r.key()), 1, WAIT);
            assertEquals(1, dead.size());
            assertTrue(new String(dead.get(0).headers().lastHeader("dead-letter-reason").value(),
                    StandardCharsets.UTF_8).startsWith("unreadable event"));
        }
    }

    /** Waits until the API's consumer group has consumed everything on the events topic. */
    private static void waitForEventsToDrain(ApiClient ignored) {
        ConsumerGroups.awaitConsumed("lacquer-api", Topics.EVENTS, WAIT);
    }
}
