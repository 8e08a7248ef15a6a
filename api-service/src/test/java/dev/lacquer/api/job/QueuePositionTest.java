package dev.lacquer.api.job;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lacquer.api.support.ApiClient;
import dev.lacquer.api.support.Kafka;
import dev.lacquer.api.support.WorkerSide;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Queue position and estimated start of pending jobs (GET /api/generation-job/{id} and pending-generations). Other
 * tests of this run may leave pending jobs behind, queued before these: positions are checked relative to the
 * first job created here, which is at least 1.
 */
@QuarkusTest
class QueuePositionTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void pendingJobsOfTwoUsersAreNumberedInQueueOrderAndMoveUpWhenOneStarts() {
        ApiClient alice = ApiClient.newUser("alice");
        ApiClient bob = ApiClient.newUser("bob");
        UUID a1 = alice.createJob("first in the queue", 1);
        UUID b1 = bob.createJob("second in the queue", 1);
        UUID a2 = alice.createJob("third in the queue", 1);
        UUID b2 = bob.createJob("fourth in the queue", 1);

        long first = position(alice, a1);
        assertTrue(first >= 1, "1 is next: " + first);
        assertEquals(first + 1, position(bob, b1));
        assertEquals(first + 2, position(alice, a2));
        assertEquals(first + 3, position(bob, b2));

        // pending-generations carries the same positions in the user's activeJobs
        JsonPath pending = alice.pending().then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(a1.toString(), a2.toString()), pending.getList("activeJobs.jobId"));
        assertEquals(List.of(first, first + 2), pending.getList("activeJobs.queuePosition", Long.class));

        Kafka.publishEvent(new WorkerSide(a1, alice.user()).started(1));
        await().atMost(WAIT).until(() -> "processing".equals(alice.status(a1)));

        Map<String, Object> started = alice.job(a1).then().statusCode(200).extract().jsonPath().getMap("");
        assertFalse(started.containsKey("queuePosition"), "a started job has left the queue: " + started);
        assertFalse(started.containsKey("estimatedStartAt"), "a started job has no estimate: " + started);
        assertEquals(first, position(bob, b1));
        assertEquals(first + 1, position(alice, a2));
        assertEquals(first + 2, position(bob, b2));

        // canceling a pending job takes it out of the queue too
        alice.cancel(a2).then().statusCode(200);
        assertEquals(first + 1, position(bob, b2));
        Map<String, Object> canceled = alice.job(a2).then().statusCode(200).extract().jsonPath().getMap("");
        assertFalse(canceled.containsKey("queuePosition"), "a canceled job is not queued: " + canceled);
    }

    @Test
    void theEstimatedStartIsAfterNowAndLaterForLaterPositions() {
        ApiClient carol = ApiClient.newUser("carol");
        UUID c1 = carol.createJob("estimate one", 1);
        UUID c2 = carol.createJob("estimate two", 1);
        UUID c3 = carol.createJob("estimate three", 1);
        Instant before = Instant.now();

        Instant e1 = estimate(carol, c1);
        Instant e2 = estimate(carol, c2);
        Instant e3 = estimate(carol, c3);
        assertTrue(e1.isAfter(before), e1 + " is after " + before);
        assertTrue(e2.isAfter(e1), e2 + " is after " + e1);
        assertTrue(e3.isAfter(e2), e3 + " is after " + e2);

        JsonPath pending = carol.pending().then().statusCode(200).extract().jsonPath();
        List<Instant> listed = pending.getList("activeJobs.estimatedStartAt", String.class).stream()
                .map(Instant::parse).toList();
        assertEquals(3, listed.size());
        assertTrue(listed.get(0).isAfter(before));
        assertTrue(listed.get(1).isAfter(listed.get(0)) && listed.get(2).isAfter(listed.get(1)), listed.toString());
    }

    private static long position(ApiClient client, UUID job) {
        var answer = client.job(job).then().statusCode(200).extract();
        Number position = answer.path("queuePosition");
        assertNotNull(position, "a pending job has a queue position: " + answer.asString());
        return position.longValue();
    }

    private static Instant estimate(ApiClient client, UUID job) {
        String estimate = client.job(job).then().statusCode(200).extract().path("estimatedStartAt");
        assertNotNull(estimate, "a pending job has an estimated start");
        return Instant.parse(estimate);
    }
}
