package dev.lacquer.api.job;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lacquer.api.credit.LedgerAudit;
import dev.lacquer.api.support.ApiClient;
import dev.lacquer.api.support.Kafka;
import dev.lacquer.api.support.WorkerSide;
import dev.lacquer.model.Topics;
import dev.lacquer.model.event.GenerationCompleted;
import dev.lacquer.model.event.GenerationEvent;
import dev.lacquer.testsupport.ConsumerGroups;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Events that arrive together (the API applies a poll's records in one transaction): duplicates, late events and
 * an event that cannot be applied behave exactly as they do one at a time.
 */
@QuarkusTest
class EventBatchesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    LedgerAudit ledger;

    @AfterEach
    void booksBalance() {
        assertEquals(List.of(), ledger.violations());
    }

    @Test
    void eventsThatArriveTogetherAreEachAppliedOnce() {
        ApiClient hana = ApiClient.newUser("hana");
        int balance = hana.balance();
        UUID first = hana.createJob("batch one", 2);
        UUID second = hana.createJob("batch two", 2);
        WorkerSide one = new WorkerSide(first, hana.user());
        WorkerSide two = new WorkerSide(second, hana.user());
        GenerationEvent started = one.started(1);
        GenerationEvent completed = one.completed(1, 2);

        Kafka.publishTogether(List.of(started, two.started(1), one.progress(1, 10), one.progress(1, 50),
                two.progress(1, 50), started, completed, completed, one.started(1), two.progress(1, 60)));

        await().atMost(WAIT).until(() -> "completed".equals(hana.status(first)));
        await().atMost(WAIT).until(() -> "processing".equals(hana.status(second)));
        ConsumerGroups.awaitConsumed("lacquer-api", Topics.EVENTS, WAIT);
        hana.job(second).then().body("progress", org.hamcrest.Matchers.equalTo(60));
        hana.looks().then().body("items", hasSize(2));
        assertEquals(balance - 4, hana.balance(), "each job charged once, a late start after completion included");
    }

    @Test
    void anEventThatCannotBeAppliedIsDeadLetteredAndTheOthersOfItsBatchStillApply() {
        ApiClient ivan = ApiClient.newUser("ivan");
        UUID poisoned = ivan.createJob("poisoned", 1);
        UUID healthy = ivan.createJob("healthy", 1);
        WorkerSide bad = new WorkerSide(poisoned, ivan.user());
        WorkerSide good = new WorkerSide(healthy, ivan.user());
        // Reads fine, but its model name does not fit the column: applying it fails every time.
        GenerationCompleted unstorable = new GenerationCompleted(UUID.randomUUID(), null, poisoned, ivan.user(), 1,
                Instant.now(), List.of("results/" + ivan.user() + "/" + poisoned + "/0.png"), List.of(),
                "m".repeat(200), "v1", 42, GenerationCompleted.Usage.none(), null, false);
        List<GenerationEvent> batch = new ArrayList<>(List.of(bad.started(1), good.started(1), unstorable,
                good.completed(1, 1)));

        try (KafkaConsumer<String, String> dlq = Kafka.tail(Topics.EVENTS_DLQ)) {
            Kafka.publishTogether(batch);
            await().atMost(WAIT).until(() -> "completed".equals(ivan.status(healthy)));
            var dead = Kafka.await(dlq, r -> poisoned.toString().equals(r.key()), 1, WAIT);
            assertEquals(1, dead.size());
            assertTrue(new String(dead.get(0).headers().lastHeader("dead-letter-reason").value(),
                    StandardCharsets.UTF_8).startsWith("not applicable"));
        }
        assertEquals("processing", ivan.status(poisoned), "its start applied; only the bad completion was refused");
        ivan.looks().then().body("items", hasSize(1));
    }
}
