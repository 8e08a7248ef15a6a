package dev.lacquer.e2e;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lacquer.testsupport.ConsumerGroups;
import dev.lacquer.testsupport.StackAddresses;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * No accepted job is lost and nothing is done twice when a worker is killed mid-job, when
 * Kafka is down at create time, when PostgreSQL restarts, and when the whole events topic is
 * replayed. Runs the packaged services against the local stack's own servers, which it stops
 * and starts.
 */
class FaultRecoveryIT {

    private static final Duration RECOVERY = Duration.ofSeconds(120);
    /** Short lease and sweep, so lost work is noticed within seconds. */
    private static final Map<String, String> API_ENV = Map.of("LACQUER_JOB_LEASE", "PT10S",
            "LACQUER_SWEEP_EVERY", "2s", "LACQUER_PICKUP_TIMEOUT", "PT30S");

    private ServiceProcess worker;
    private ServiceProcess api;

    @BeforeEach
    void servicesUp() {
        Assumptions.assumeTrue(LocalStack.ownsServers(), "fault tests stop servers: only against the local stack");
        api = new ServiceProcess("api-service", API_ENV).start();
    }

    @AfterEach
    void servicesDown() {
        if (worker != null) {
            worker.close();
        }
        if (api != null) {
            api.close();
        }
    }

    @Test
    void killedWorkersJobsCompleteOnceAfterRestart() {
        worker = new ServiceProcess("worker-service",
                Map.of("LACQUER_WORKER_LOCAL_RENDERER_DELAY", "3s")).start();
        Users user = Users.signIn(api.url(), "kill");
        List<UUID> jobs = createJobs(user, 4);
        await().atMost(RECOVERY).until(() -> jobs.stream().allMatch(id -> "processing".equals(user.status(id))));

        worker.kill();
        long killedAt = System.nanoTime();
        worker = new ServiceProcess("worker-service", Map.of()).start();
        awaitCompleted(user, jobs);
        Duration recovery = Duration.ofNanos(System.nanoTime() - killedAt);
        System.out.printf("[recovery] worker SIGKILL → %d jobs completed in %d ms%n", jobs.size(), recovery.toMillis());

        assertExactlyTwoLooksEach(user, jobs);
        assertEquals(20 - 2 * jobs.size(), (int) user.request().get("/api/user/credits").then().extract().path("balance"),
                "each job charged exactly once");
        assertLedgerBalanced();
    }

    @Test
    void jobsAcceptedWhileKafkaIsDownCompleteWhenItIsBack() {
        worker = new ServiceProcess("worker-service", Map.of()).start();
        Users user = Users.signIn(api.url(), "nokafka");
        LocalStack.stop("kafka");
        List<UUID> jobs;
        try {
            jobs = createJobs(user, 3);
            for (UUID job : jobs) {
                assertEquals("pending", user.status(job));
            }
        } finally {
            LocalStack.start("kafka");
        }
        long backAt = System.nanoTime();
        awaitCompleted(user, jobs);
        System.out.printf("[recovery] Kafka back → %d jobs completed in %d ms%n", jobs.size(),
                Duration.ofNanos(System.nanoTime() - backAt).toMillis());
        assertExactlyTwoLooksEach(user, jobs);
        assertLedgerBalanced();
    }

    @Test
    void postgresRestartAnswers503MeanwhileAndLosesNothing() {
        worker = new ServiceProcess("worker-service", Map.of("LACQUER_WORKER_LOCAL_RENDERER_DELAY", "1s")).start();
        Users user = Users.signIn(api.url(), "nopg");
        List<UUID> jobs = createJobs(user, 3);
        LocalStack.stop("postgres");
        try {
            user.request().get("/api/user/credits").then().statusCode(503)
                    .contentType("application/problem+json").header("Retry-After", equalTo("5"));
            user.request().contentType(ContentType.JSON)
                    .body(Map.of("prompt", "while down", "originalImage", Users.handPhotoDataUrl()))
                    .post("/api/generate-nail-design-job").then().statusCode(503)
                    .contentType("application/problem+json");
        } finally {
            LocalStack.start("postgres");
        }
        long backAt = System.nanoTime();
        awaitCompleted(user, jobs);
        System.out.printf("[recovery] PostgreSQL back → %d jobs completed in %d ms%n", jobs.size(),
                Duration.ofNanos(System.nanoTime() - backAt).toMillis());
        assertExactlyTwoLooksEach(user, jobs);
        assertEquals(jobs.size(), (int) user.request().get("/api/user/generation-jobs").then().extract().path("total"),
                "the create refused while down stored nothing");
        assertLedgerBalanced();
    }

    @Test
    void replayingTheWholeEventsTopicChangesNothing() throws Exception {
        worker = new ServiceProcess("worker-service", Map.of()).start();
        Users before = Users.signIn(api.url(), "replay");
        List<UUID> jobs = createJobs(before, 2);
        awaitCompleted(before, jobs);
        String creditsBefore = before.request().get("/api/user/credits").asString();
        String looksBefore = before.looks().then().extract().path("items.lookId").toString();

        api.close();
        rewindApiConsumerGroup();
        api = new ServiceProcess("api-service", API_ENV).start();
        ConsumerGroups.awaitConsumed("lacquer-api", "generation.events", RECOVERY);
        Users user = before.at(api.url());

        assertEquals(creditsBefore, user.request().get("/api/user/credits").asString());
        assertEquals(looksBefore, user.looks().then().extract().path("items.lookId").toString());
        for (UUID job : jobs) {
            assertEquals("completed", user.status(job));
        }
        assertLedgerBalanced();
    }

    private static List<UUID> createJobs(Users user, int count) {
        List<UUID> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            jobs.add(user.createJob("fault test " + i));
        }
        return jobs;
    }

    private static void awaitCompleted(Users user, List<UUID> jobs) {
        await().atMost(RECOVERY).pollInterval(Duration.ofMillis(250))
                .until(() -> jobs.stream().allMatch(id -> "completed".equals(user.status(id))));
    }

    private static void assertExactlyTwoLooksEach(Users user, List<UUID> jobs) {
        List<String> lookJobs = user.looks().then().statusCode(200).extract().path("items.jobId");
        for (UUID job : jobs) {
            assertEquals(2, lookJobs.stream().filter(job.toString()::equals).count(), "two looks for " + job);
        }
        assertEquals(2 * jobs.size(), lookJobs.size());
    }

    private void assertLedgerBalanced() {
        Users admin = Users.signIn(api.url(), "admin");
        admin.request().get("/api/admin/ledger-audit").then().statusCode(200)
                .body("violations", equalTo(List.of())).body("balanced", equalTo(true));
    }

    private static void rewindApiConsumerGroup() throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, StackAddresses.kafkaBootstrapServers());
        try (Admin admin = Admin.create(props)) {
            var partitions = admin.describeTopics(List.of("generation.events")).allTopicNames().get()
                    .get("generation.events").partitions();
            Map<TopicPartition, OffsetAndMetadata> zero = new HashMap<>();
            partitions.forEach(p -> zero.put(new TopicPartition("generation.events", p.partition()),
                    new OffsetAndMetadata(0)));
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                admin.alterConsumerGroupOffsets("lacquer-api", zero).all().get();
                return true;
            });
        }
    }
}
