package dev.lacquer.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** No configured secret ever appears in a log line or a response body. */
class SecretsIT {

    private static final String S3_SECRET = System.getenv().getOrDefault("S3_SECRET_ACCESS_KEY", "lacquer-local-secret");

    @Test
    void secretsStayOutOfLogsAndResponses() throws IOException {
        String cronSecret = "cron-" + UUID.randomUUID();
        String modelKey = "sk-test-" + UUID.randomUUID();
        Map<String, String> env = Map.of("CRON_SECRET", cronSecret, "OPENAI_API_KEY", modelKey);
        List<String> bodies = new ArrayList<>();
        try (ServiceProcess worker = new ServiceProcess("worker-service", env).start();
             ServiceProcess api = new ServiceProcess("api-service", env).start()) {
            Users user = Users.signIn(api.url(), "secrets");
            UUID job = user.createJob("keep it secret");
            await().atMost(Duration.ofSeconds(60)).until(() -> "completed".equals(user.status(job)));
            bodies.add(user.job(job).asString());
            bodies.add(user.pending().asString());
            bodies.add(given().header("Authorization", "Bearer " + cronSecret)
                    .post(api.url() + "/api/process-generation-jobs").then().statusCode(200).extract().asString());
            bodies.add(given().header("Authorization", "Bearer wrong").post(api.url() + "/api/process-generation-jobs")
                    .then().statusCode(401).extract().asString());
            for (ServiceProcess service : List.of(api, worker)) {
                for (String path : List.of("/q/health", "/q/metrics", "/q/openapi")) {
                    bodies.add(given().get(service.url() + path).asString());
                }
            }
        }
        List<String> logs = new ArrayList<>();
        for (String name : List.of("api-service", "worker-service")) {
            logs.add(Files.readString(Path.of(System.getProperty("lacquer.root", ".."))
                    .resolve("e2e-tests/target/e2e-logs/" + name + ".log")));
        }
        for (String secret : List.of(cronSecret, modelKey, S3_SECRET)) {
            for (String body : bodies) {
                assertFalse(body.contains(secret), "a response carries a secret");
            }
            for (String log : logs) {
                assertFalse(log.contains(secret), "a log line carries a secret");
            }
        }
    }
}
