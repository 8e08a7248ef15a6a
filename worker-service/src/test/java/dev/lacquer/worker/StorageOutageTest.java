package dev.lacquer.worker;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lacquer.model.ErrorCode;
import dev.lacquer.model.ObjectKeys;
import dev.lacquer.model.Topics;
import dev.lacquer.model.event.GenerationFailed;
import dev.lacquer.model.event.GenerationRequested;
import dev.lacquer.model.event.ModelOptions;
import dev.lacquer.worker.support.Events;
import dev.lacquer.worker.support.RequestSender;
import dev.lacquer.worker.support.TopicWatcher;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The object store is unreachable (the worker points at a loopback port nobody listens on): storage calls are retried
 * with backoff, then the job fails as STORAGE_UNAVAILABLE, retryable, and readiness reports the store down.
 */
@QuarkusTest
@TestProfile(StorageOutageTest.UnreachableStore.class)
class StorageOutageTest {

    public static class UnreachableStore implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "lacquer.worker.storage.endpoint", "http://127.0.0.1:" + closedPort(),
                    "lacquer.worker.retry.max-attempts", "3",
                    "lacquer.worker.retry.initial-backoff", "50ms",
                    "lacquer.worker.retry.max-backoff", "200ms");
        }

        private static int closedPort() {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static TopicWatcher events;

    @Inject
    MeterRegistry meters;

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
    void jobFailsRetryablyAsStorageUnavailableAfterRetries() {
        UUID jobId = UUID.randomUUID();
        String userId = RequestSender.newUser();
        double retriesBefore = retries();
        try (RequestSender sender = new RequestSender(null, "unused")) {
            sender.send(GenerationRequested.of(jobId, userId, 1, "red", RequestSender.SETTINGS,
                    ObjectKeys.original(userId, jobId), "image/jpeg", 1, ModelOptions.defaults()));
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !Events.ofType(events, jobId, GenerationFailed.class).isEmpty());
        GenerationFailed failed = Events.ofType(events, jobId, GenerationFailed.class).getFirst();
        assertEquals(ErrorCode.STORAGE_UNAVAILABLE, failed.errorCode());
        assertEquals(ErrorCode.STORAGE_UNAVAILABLE.userMessage(), failed.userMessage());
        assertTrue(failed.retryable());
        assertTrue(retries() - retriesBefore >= 2, "two retries after the first try");
    }

    @Test
    void readinessReportsTheStoreDownWhileLivenessStaysUp() {
        given().when().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'object-store' }.status", org.hamcrest.Matchers.equalTo("DOWN"));
        given().when().get("/q/health/live").then().statusCode(200)
                .body("checks.name", org.hamcrest.Matchers.not(hasItem("object-store")));
    }

    private double retries() {
        return meters.find("lacquer.worker.retries").counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
