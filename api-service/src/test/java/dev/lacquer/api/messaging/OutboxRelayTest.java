package dev.lacquer.api.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lacquer.api.config.LacquerConfig;
import dev.lacquer.api.support.ApiClient;
import dev.lacquer.api.support.Kafka;
import dev.lacquer.model.Topics;
import dev.lacquer.model.event.CloudEventHeaders;
import dev.lacquer.model.event.EventCodec;
import dev.lacquer.model.event.GenerationCancelRequested;
import dev.lacquer.model.ObjectKeys;
import dev.lacquer.model.event.GenerationEvent;
import dev.lacquer.model.event.GenerationRequested;
import dev.lacquer.model.event.ModelOptions;
import dev.lacquer.model.DesignSettings;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;

/**
 * The outbox relay against the real PostgreSQL and Kafka. The profile turns the relay's safety-net poll and the
 * scheduled sweep off, so a row written here with plain SQL (which wakes nobody) moves only when a test says so.
 */
@QuarkusTest
@TestProfile(OutboxRelayTest.NoBackgroundPublishing.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OutboxRelayTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    public static class NoBackgroundPublishing implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("lacquer.outbox.poll-interval", "PT1H", "lacquer.sweep.every", "1h");
        }
    }

    @Inject
    OutboxRelay relay;

    @Inject
    OutboxClaims claims;

    @Inject
    KafkaOutboxSender kafka;

    @Inject
    LacquerConfig config;

    @Inject
    Outbox outbox;

    @Inject
    EntityManager em;

    @BeforeEach
    void publishWhatEarlierTestsLeft() {
        relay.drain();
    }

    @Test
    void whileKafkaIsUnreachableNoTransactionHoldsTheRowWhichIsPublishedOnceKafkaIsBack() throws Exception {
        GenerationEvent event = cancelOf(UUID.randomUUID(), 1);
        try (KafkaConsumer<String, String> requests = Kafka.tail(Topics.REQUESTS);
             UnreachableKafka unreachable = new UnreachableKafka()) {
            long id = insert(event);
            CountDownLatch sending = new CountDownLatch(1);
            CountDownLatch goOn = new CountDownLatch(1);
            OutboxSender paused = record -> {
                sending.countDown();
                awaitQuietly(goOn);
                return unreachable.send(record);
            };
            OutboxPublisher publisher = new OutboxPublisher(claims, paused, config.outbox().claimLease());
            CompletableFuture<OutboxBatch> pass = new CompletableFuture<>();
            // A thread started here has the application's class loader (the common pool's would not see its beans).
            Thread.ofVirtual().start(() -> {
                try {
                    pass.complete(publisher.publish(1));
                } catch (RuntimeException e) {
                    pass.completeExceptionally(e);
                }
            });

            assertTrue(sending.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the relay is sending");
            // While the relay waits on Kafka, the row is claimed, yet no transaction holds a lock on it.
            assertEquals("claimed", claimState(id));
            assertEquals(id, lockWithoutWaiting(id), "no transaction holds the row while Kafka is waited on");
            goOn.countDown();

            OutboxBatch batch = pass.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(new OutboxBatch(1, 0, 1, 0, batch.firstFailure()), batch, "refused by the producer");
            assertTrue(exists(id), "the row is kept");
            assertEquals("unclaimed", claimState(id), "and can be claimed again at once");

            assertTrue(relay.drain() >= 1);
            List<ConsumerRecord<String, String>> published = awaitEvents(requests, Set.of(event.eventId()), 1);
            assertEquals(1, published.size(), "published once Kafka is reachable");
            assertEquals("dev.lacquer." + GenerationCancelRequested.TYPE, header(published.get(0), CloudEventHeaders.TYPE));
            assertEquals(event.jobId().toString(), published.get(0).key());
            assertTrue(!exists(id), "deleted after the ack");
        }
    }

    @Test
    void aRowClaimedByARelayThatDiedIsPublishedOnlyAfterItsLease() {
        GenerationEvent event = cancelOf(UUID.randomUUID(), 1);
        try (KafkaConsumer<String, String> requests = Kafka.tail(Topics.REQUESTS)) {
            long id = insert(event);
            List<OutboxRecord> claimedByTheDeadRelay = claims.claim(10, config.outbox().claimLease());
            assertTrue(claimedByTheDeadRelay.stream().anyMatch(r -> r.id() == id));

            relay.drain();
            assertTrue(exists(id), "not published by another relay while the claim lasts");
            assertTrue(claims.claim(10, config.outbox().claimLease()).stream().noneMatch(r -> r.id() == id),
                    "nor claimed by another one");

            leaseRunsOut(id);
            assertTrue(relay.drain() >= 1);
            assertEquals(1, awaitEvents(requests, Set.of(event.eventId()), 1).size());
            assertTrue(!exists(id));
        }
    }

    @Test
    void aJobsLaterRowsWaitForItsEarlierOneEvenInAnotherRelaysClaim() throws Exception {
        UUID x = UUID.randomUUID();
        UUID y = UUID.randomUUID();
        try (KafkaConsumer<String, String> requests = Kafka.tail(Topics.REQUESTS)) {
            GenerationEvent x1 = cancelOf(x, 1);
            GenerationEvent y1 = cancelOf(y, 1);
            GenerationEvent x2 = cancelOf(x, 2);
            GenerationEvent x3 = cancelOf(x, 3);
            for (GenerationEvent event : List.of(x1, y1, x2, x3)) {
                insert(event);
            }
            Duration lease = config.outbox().claimLease();

            List<OutboxRecord> first = claims.claim(1, lease);
            assertEquals(List.of(x1.eventId()), eventIds(first));
            List<OutboxRecord> second = claims.claim(10, lease);
            assertEquals(List.of(y1.eventId()), eventIds(second), "x2 and x3 wait while x1 is claimed elsewhere");

            sendAndSettle(first);
            sendAndSettle(second);
            List<OutboxRecord> third = claims.claim(10, lease);
            assertEquals(List.of(x2.eventId(), x3.eventId()), eventIds(third), "in id order once x1 is gone");
            sendAndSettle(third);

            List<ConsumerRecord<String, String>> published = awaitEvents(requests,
                    Set.of(x1.eventId(), y1.eventId(), x2.eventId(), x3.eventId()), 4);
            assertEquals(List.of(1, 2, 3), published.stream().filter(r -> r.key().equals(x.toString()))
                    .map(r -> EventCodec.decode(r.value()).attempt()).toList());
        }
    }

    @Test
    void twoRelaysDrainingAtOnceSendEveryRowOnceAndEachJobsRowsInOrder() throws Exception {
        int jobs = 20;
        int rowsPerJob = 5;
        List<UUID> jobIds = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            jobIds.add(UUID.randomUUID());
        }
        try (KafkaConsumer<String, String> requests = Kafka.tail(Topics.REQUESTS)) {
            Set<UUID> eventIds = new HashSet<>();
            for (int attempt = 1; attempt <= rowsPerJob; attempt++) {
                for (UUID job : jobIds) {
                    GenerationEvent event = cancelOf(job, attempt);
                    eventIds.add(event.eventId());
                    insert(event);
                }
            }
            OutboxPublisher one = new OutboxPublisher(claims, kafka, config.outbox().claimLease());
            OutboxPublisher two = new OutboxPublisher(claims, kafka, config.outbox().claimLease());
            int published;
            // Threads started here inherit the application's class loader (the common pool's would not see its beans).
            try (ExecutorService relays = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<Integer> byOne = relays.submit(() -> drain(one));
                Future<Integer> byTwo = relays.submit(() -> drain(two));
                published = byOne.get(WAIT.toSeconds(), TimeUnit.SECONDS) + byTwo.get(WAIT.toSeconds(), TimeUnit.SECONDS)
                        + relay.drain();
            }
            assertEquals(jobs * rowsPerJob, published);

            // One more than expected, so a duplicate would be seen.
            List<ConsumerRecord<String, String>> records = Kafka.await(requests,
                    r -> eventIds.contains(UUID.fromString(header(r, CloudEventHeaders.ID))), eventIds.size() + 1,
                    Duration.ofSeconds(10));
            assertEquals(eventIds.size(), records.size(), "every row exactly once");
            assertEquals(eventIds, records.stream().map(r -> UUID.fromString(header(r, CloudEventHeaders.ID)))
                    .collect(Collectors.toSet()));
            Map<String, List<Integer>> attemptsByJob = new HashMap<>();
            records.forEach(r -> attemptsByJob.computeIfAbsent(r.key(), k -> new ArrayList<>())
                    .add(EventCodec.decode(r.value()).attempt()));
            List<Integer> inOrder = List.of(1, 2, 3, 4, 5);
            jobIds.forEach(job -> assertEquals(inOrder, attemptsByJob.get(job.toString()), "order of job " + job));
        }
    }

    @Test
    void aNewJobsRequestIsSentAtItsCommitAndSettledAfterTheAck() {
        ApiClient user = ApiClient.newUser("relay");
        try (KafkaConsumer<String, String> requests = Kafka.tail(Topics.REQUESTS)) {
            UUID jobId = user.createJob("wake-up pink", 1);
            // The poll is off in this profile: only the send at the create's commit can have sent it.
            assertEquals(1, Kafka.await(requests, r -> jobId.toString().equals(r.key()), 1, WAIT).size());
            await().atMost(WAIT).until(() -> !rowOfJobExists(jobId));
            assertTrue(pickUpClockStarted(jobId), "the ack started the job's pick-up clock");
        }
    }

    @Test
    void aNewJobsRequestIsWrittenClaimedSoNoPassTakesItAndItIsSentOnce() {
        GenerationRequested request = requestOf(UUID.randomUUID());
        try (KafkaConsumer<String, String> requests = Kafka.tail(Topics.REQUESTS)) {
            String stateInItsTransaction = QuarkusTransaction.requiringNew().call(() -> {
                outbox.enqueueNewJobRequest(request);
                return claimStateInCurrentTransaction(request.eventId());
            });
            assertEquals("claimed", stateInItsTransaction);
            relay.drain();
            List<ConsumerRecord<String, String>> published = Kafka.await(requests,
                    r -> request.eventId().toString().equals(header(r, CloudEventHeaders.ID)), 2, Duration.ofSeconds(5));
            assertEquals(1, published.size(), "sent once, by the commit, not again by a pass");
            await().atMost(WAIT).until(() -> !rowOfJobExists(request.jobId()));
        }
    }

    @Test
    void aSendRefusedAfterItsCommitReleasesTheRowForThePassesWhichSendItOnceKafkaIsBack() throws Exception {
        GenerationEvent event = cancelOf(UUID.randomUUID(), 1);
        CountDownLatch refusedReported = new CountDownLatch(1);
        try (KafkaConsumer<String, String> requests = Kafka.tail(Topics.REQUESTS);
             UnreachableKafka unreachable = new UnreachableKafka()) {
            long id = insertClaimed(event);
            AfterCommitSends sends = new AfterCommitSends(claims, unreachable, refusedReported::countDown);
            try {
                sends.send(recordOf(id, event));
                assertTrue(refusedReported.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the refusal is reported");
            } finally {
                sends.stop();
            }
            assertEquals("unclaimed", claimState(id), "released at once, not held until the lease ends");

            assertTrue(relay.drain() >= 1);
            assertEquals(1, awaitEvents(requests, Set.of(event.eventId()), 1).size());
            assertTrue(!exists(id));
        }
    }

    @Test
    void whileTheBrokerIsInTroubleANewJobsRequestIsWrittenUnclaimedAndAPassSendsIt() {
        GenerationRequested request = requestOf(UUID.randomUUID());
        try (KafkaConsumer<String, String> requests = Kafka.tail(Topics.REQUESTS)) {
            relay.sendRefused();
            String stateInItsTransaction = QuarkusTransaction.requiringNew().call(() -> {
                outbox.enqueueNewJobRequest(request);
                return claimStateInCurrentTransaction(request.eventId());
            });
            assertEquals("unclaimed", stateInItsTransaction);
            // The poll is off: the pass woken by the commit sent it, and its ack ends the trouble.
            assertEquals(1, awaitEvents(requests, Set.of(request.eventId()), 1).size());
            await().atMost(WAIT).until(relay::sendsAfterCommit);
        }
    }

    @Test
    @Order(Integer.MAX_VALUE) // the sweep may send other tests' stale requests again, which wakes the relay
    void theSweepPublishesWhatTheOutboxStillHolds() {
        GenerationEvent event = cancelOf(UUID.randomUUID(), 1);
        try (KafkaConsumer<String, String> requests = Kafka.tail(Topics.REQUESTS)) {
            long id = insert(event);
            // Nothing wakes the relay for this row and its poll is off: the sweep sends it. (Rows the sweep itself
            // writes, e.g. a request sent again, wake the relay, which may then take this row first; either way it
            // is published once.)
            given().header("Authorization", "Bearer " + config.sweep().cronSecret())
                    .post("/api/process-generation-jobs").then().statusCode(200);
            assertEquals(1, awaitEvents(requests, Set.of(event.eventId()), 1).size());
            await().atMost(WAIT).until(() -> !exists(id));
        }
    }

    private static int drain(OutboxPublisher publisher) {
        int published = 0;
        OutboxBatch batch;
        do {
            batch = publisher.publish(7);
            published += batch.published();
            assertTrue(batch.allPublished(), batch.toString());
        } while (batch.claimed() > 0);
        return published;
    }

    private void sendAndSettle(List<OutboxRecord> records) throws Exception {
        for (OutboxRecord record : records) {
            kafka.send(record).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        claims.settle(records, List.of());
    }

    private static GenerationEvent cancelOf(UUID jobId, int attempt) {
        return GenerationCancelRequested.of(jobId, "relay-test", attempt);
    }

    /** Writes an outbox row as {@link Outbox} does, but without waking the relay. */
    private long insert(GenerationEvent event) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("""
                        insert into outbox (event_id, topic, message_key, event_type, payload, created_at)
                        values (?1, ?2, ?3, ?4, ?5, now()) returning id""")
                .setParameter(1, event.eventId())
                .setParameter(2, Topics.REQUESTS)
                .setParameter(3, event.jobId().toString())
                .setParameter(4, event.type())
                .setParameter(5, EventCodec.encode(event))
                .getSingleResult()).longValue());
    }

    /** Writes an outbox row claimed for a lease, as {@link Outbox#enqueueNewJobRequest} does, without sending it. */
    private long insertClaimed(GenerationEvent event) {
        long id = insert(event);
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "update outbox set claimed_until = now() + interval '60 seconds' where id = ?1")
                .setParameter(1, id).executeUpdate());
        return id;
    }

    private static OutboxRecord recordOf(long id, GenerationEvent event) {
        return new OutboxRecord(id, event.eventId(), Topics.REQUESTS, event.jobId().toString(), event.type(),
                EventCodec.encode(event), null);
    }

    private static GenerationRequested requestOf(UUID jobId) {
        String userId = "relay-test";
        return GenerationRequested.of(jobId, userId, 1, "claimed at write", DesignSettings.none(),
                ObjectKeys.original(userId, jobId), "image/png", 1, ModelOptions.defaults());
    }

    private String claimStateInCurrentTransaction(UUID eventId) {
        return (String) em.createNativeQuery("""
                        select case when claimed_until is null then 'unclaimed' else 'claimed' end
                          from outbox where event_id = ?1""")
                .setParameter(1, eventId).getSingleResult();
    }

    private boolean rowOfJobExists(UUID jobId) {
        return QuarkusTransaction.requiringNew().call(() -> !em.createNativeQuery(
                        "select 1 from outbox where message_key = ?1")
                .setParameter(1, jobId.toString()).getResultList().isEmpty());
    }

    private boolean pickUpClockStarted(UUID jobId) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "select lease_expires_at is not null from generation_jobs where id = ?1")
                .setParameter(1, jobId).getSingleResult().equals(Boolean.TRUE));
    }

    private boolean exists(long id) {
        return QuarkusTransaction.requiringNew().call(() -> !em.createNativeQuery("select 1 from outbox where id = ?1")
                .setParameter(1, id).getResultList().isEmpty());
    }

    private String claimState(long id) {
        return QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery("""
                        select case when claimed_until is null then 'unclaimed'
                                    when claimed_until > now() then 'claimed' else 'lease over' end
                          from outbox where id = ?1""")
                .setParameter(1, id).getSingleResult());
    }

    /** Fails (lock_not_available) if another transaction holds the row. */
    private long lockWithoutWaiting(long id) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                        "select id from outbox where id = ?1 for update nowait")
                .setParameter(1, id).getSingleResult()).longValue());
    }

    /** As if the claim's lease had run out. */
    private void leaseRunsOut(long id) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "update outbox set claimed_until = now() - interval '1 second' where id = ?1")
                .setParameter(1, id).executeUpdate());
    }

    private static List<UUID> eventIds(List<OutboxRecord> records) {
        return records.stream().map(OutboxRecord::eventId).toList();
    }

    private static List<ConsumerRecord<String, String>> awaitEvents(KafkaConsumer<String, String> consumer,
                                                                    Set<UUID> eventIds, int count) {
        return Kafka.await(consumer, r -> eventIds.contains(UUID.fromString(header(r, CloudEventHeaders.ID))), count,
                WAIT);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? "00000000-0000-0000-0000-000000000000" : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A real Kafka producer whose bootstrap address has no broker: every send fails after max.block.ms. */
    private static final class UnreachableKafka implements OutboxSender, AutoCloseable {

        private final KafkaProducer<String, String> producer;

        UnreachableKafka() throws IOException {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + closedPort());
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            this.producer = new KafkaProducer<>(props);
        }

        @Override
        public CompletionStage<Void> send(OutboxRecord record) {
            CompletableFuture<Void> acked = new CompletableFuture<>();
            producer.send(new ProducerRecord<>(record.topic(), record.key(), record.payload()), (metadata, error) -> {
                if (error == null) {
                    acked.complete(null);
                } else {
                    acked.completeExceptionally(error);
                }
            });
            return acked;
        }

        @Override
        public void close() {
            producer.close(Duration.ZERO);
        }

        private static int closedPort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            }
        }
    }
}
