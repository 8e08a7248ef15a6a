package dev.lacquer.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lacquer.model.ObjectKeys;
import dev.lacquer.model.Topics;
import dev.lacquer.model.event.GenerationCanceled;
import dev.lacquer.model.event.GenerationCompleted;
import dev.lacquer.model.event.GenerationEvent;
import dev.lacquer.model.event.GenerationProgress;
import dev.lacquer.model.event.GenerationStarted;
import dev.lacquer.testsupport.StackAddresses;
import dev.lacquer.worker.support.Events;
import dev.lacquer.worker.support.RequestSender;
import dev.lacquer.worker.support.TestPhotos;
import dev.lacquer.worker.support.TopicWatcher;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Jobs that take a while: the local renderer waits {@value SlowRenderer#DELAY_MS} ms per image, and the worker runs
 * at most two jobs at once. Real Kafka and S3 as everywhere.
 */
@QuarkusTest
@TestProfile(ConcurrencyAndCancelTest.SlowRenderer.class)
class ConcurrencyAndCancelTest {

    public static class SlowRenderer implements QuarkusTestProfile {
        static final long DELAY_MS = 600;

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "lacquer.worker.local-renderer.delay", DELAY_MS + "ms",
                    "lacquer.worker.heartbeat-interval", "250ms",
                    "lacquer.worker.max-concurrent-jobs", "2",
                    // Commit often, so a commit that should not happen would happen within the test.
                    "mp.messaging.incoming.generation-requests.auto.commit.interval.ms", "100");
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static TopicWatcher events;

    @Inject
    S3Client s3;

    @ConfigProperty(name = "lacquer.worker.storage.bucket")
    String bucket;

    @ConfigProperty(name = "mp.messaging.incoming.generation-requests.group.id")
    String group;

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

    @Test
    void slowJobDoesNotHoldBackAFastOneRequestedAfterIt() {
        UUID slow = UUID.randomUUID();
        UUID fast = UUID.randomUUID();
        try (RequestSender sender = new RequestSender(s3, bucket)) {
            sender.requestWithPhoto(slow, RequestSender.newUser(), 4, TestPhotos.jpeg(400, 300));
            await().atMost(TIMEOUT).until(() -> !Events.ofType(events, slow, GenerationStarted.class).isEmpty());
            sender.requestWithPhoto(fast, RequestSender.newUser(), 1, TestPhotos.jpeg(400, 300));
        }
        await().atMost(TIMEOUT).until(() -> !Events.ofType(events, slow, GenerationCompleted.class).isEmpty()
                && !Events.ofType(events, fast, GenerationCompleted.class).isEmpty());

        ConsumerRecord<String, String> slowDone = Events.recordsOfType(events, slow, GenerationCompleted.class).getFirst();
        ConsumerRecord<String, String> fastDone = Events.recordsOfType(events, fast, GenerationCompleted.class).getFirst();
        assertTrue(fastDone.timestamp() < slowDone.timestamp(),
                "the fast job finished first: fast " + fastDone.timestamp() + ", slow " + slowDone.timestamp());
        // The slow job sent heartbeats while it was generating, beyond the reports after its images.
        List<GenerationProgress> progress = Events.ofType(events, slow, GenerationProgress.class);
        assertTrue(progress.size() > 4, "heartbeats: " + progress.size());
        assertEquals(GenerationCompleted.TYPE, Events.of(events, slow).getLast().type(), "nothing after completed");
    }

    @Test
    void cancelRequestAbandonsAnInFlightJob() throws InterruptedException {
        UUID jobId = UUID.randomUUID();
        String userId = RequestSender.newUser();
        try (RequestSender sender = new RequestSender(s3, bucket)) {
            sender.requestWithPhoto(jobId, userId, 4, TestPhotos.jpeg(400, 300));
            await().atMost(TIMEOUT).until(() -> !Events.ofType(events, jobId, GenerationStarted.class).isEmpty());
            sender.cancel(jobId, userId);
        }
        await().atMost(TIMEOUT).until(() -> !Events.ofType(events, jobId, GenerationCanceled.class).isEmpty());

        // Longer than the job would have needed to finish: still no completion.
        Thread.sleep(4 * SlowRenderer.DELAY_MS + 1000);
        List<GenerationEvent> all = Events.of(events, jobId);
        assertTrue(all.stream().noneMatch(GenerationCompleted.class::isInstance), "no completed after a cancel");
        assertEquals(GenerationCanceled.TYPE, all.getLast().type(), "canceled is the last word: " + all);
        try {
            s3.headObject(r -> r.bucket(bucket).key(ObjectKeys.manifest(userId, jobId)));
            throw new AssertionError("a canceled job must not write its manifest");
        } catch (NoSuchKeyException expected) {
            // fine
        }
    }

    @Test
    void requestOffsetIsCommittedOnlyAfterItsOutcomeIsReported() throws Exception {
        UUID jobId = UUID.randomUUID();
        String userId = RequestSender.newUser();
        RecordMetadata sent;
        try (RequestSender sender = new RequestSender(s3, bucket)) {
            String key = sender.storeOriginal(userId, jobId, TestPhotos.jpeg(320, 240), "image/jpeg");
            sent = sender.send(sender.request(jobId, userId, 4, key, "image/jpeg"));
        }
        TopicPartition partition = new TopicPartition(sent.topic(), sent.partition());
        await().atMost(TIMEOUT).until(() -> !Events.ofType(events, jobId, GenerationStarted.class).isEmpty());

        // While the job runs, many commit intervals pass: the committed offset must stay at or before the request,
        // so a worker killed now would get the request again.
        long deadline = System.nanoTime() + Duration.ofMillis(3 * SlowRenderer.DELAY_MS).toNanos();
        while (System.nanoTime() < deadline
                && Events.ofType(events, jobId, GenerationCompleted.class).isEmpty()) {
            assertTrue(committed(partition) <= sent.offset(), "committed past a request still in flight");
            Thread.sleep(100);
        }
        await().atMost(TIMEOUT).until(() -> !Events.ofType(events, jobId, GenerationCompleted.class).isEmpty());
        await().atMost(TIMEOUT).until(() -> committed(partition) > sent.offset());
    }

    private long committed(TopicPartition partition) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                StackAddresses.kafkaBootstrapServers()))) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                    .get(partition);
            return offset == null ? -1 : offset.offset();
        }
    }

    @Test
    void intakeStopsWhileEverySlotIsTaken() {
        // Two slots: the third job starts only when one of the first two has finished.
        List<UUID> jobs = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        try (RequestSender sender = new RequestSender(s3, bucket)) {
            for (UUID jobId : jobs) {
                sender.requestWithPhoto(jobId, RequestSender.newUser(), 2, TestPhotos.jpeg(320, 240));
            }
        }
        await().atMost(TIMEOUT).until(() -> jobs.stream()
                .allMatch(jobId -> !Events.ofType(events, jobId, GenerationCompleted.class).isEmpty()));

        long thirdStarted = Events.recordsOfType(events, jobs.get(2), GenerationStarted.class).getFirst().timestamp();
        long firstFinished = Math.min(
                Events.recordsOfType(events, jobs.get(0), GenerationCompleted.class).getFirst().timestamp(),
                Events.recordsOfType(events, jobs.get(1), GenerationCompleted.class).getFirst().timestamp());
        assertTrue(thirdStarted >= firstFinished,
                "third started at " + thirdStarted + ", before a slot was free at " + firstFinished);
    }
}
