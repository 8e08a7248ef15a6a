package dev.lacquer.api.storage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.lacquer.api.problem.Problem;
import dev.lacquer.api.support.ApiClient;
import dev.lacquer.api.support.TestPhotos;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The object store is unreachable (a loopback port nobody listens on): a create answers 503 with Retry-After, no
 * credit is reserved, and readiness reports the store down.
 */
@QuarkusTest
@TestProfile(ObjectStoreOutageTest.UnreachableStore.class)
class ObjectStoreOutageTest {

    public static class UnreachableStore implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("lacquer.storage.endpoint", "http://127.0.0.1:" + closedPort(),
                    "lacquer.storage.connect-timeout", "PT1S");
        }

        private static int closedPort() {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void aCreateAnswers503WithRetryAfterAndReservesNoCredit() {
        ApiClient user = ApiClient.newUser("store-outage");
        int available = user.available();

        user.create(Map.of("prompt", "red", "originalImage", TestPhotos.pngDataUrl(), "imageCount", 1,
                        "designSettings", Map.of("shape", "almond", "finish", "glossy", "colors", List.of("#ff3366"))))
                .then().statusCode(503)
                .contentType(Problem.MEDIA_TYPE)
                .header("Retry-After", equalTo("5"))
                .body("type", equalTo("https://lacquer.dev/problems/service-unavailable"));

        user.credits().then().statusCode(200);
        org.junit.jupiter.api.Assertions.assertEquals(available, user.available(), "no credit reserved");
    }

    @Test
    void readinessReportsTheStoreDown() {
        given().when().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'object-store' }.status", equalTo("DOWN"));
    }
}
