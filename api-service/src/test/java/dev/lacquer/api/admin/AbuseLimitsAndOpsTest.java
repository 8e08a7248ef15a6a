package dev.lacquer.api.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import dev.lacquer.api.support.ApiClient;
import dev.lacquer.api.support.Kafka;
import dev.lacquer.api.support.TestPhotos;
import dev.lacquer.api.support.WorkerSide;
import dev.lacquer.model.ErrorCode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import io.restassured.response.Response;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Per-user create rate limit, CORS for configured origins only, and the operators' endpoints. */
@QuarkusTest
class AbuseLimitsAndOpsTest {

    @Test
    void createsPerMinuteAreCappedWithRetryAfter() {
        ApiClient eager = ApiClient.newUser("eager");
        new ApiClient("admin-" + eager.user()).request().contentType(ContentType.JSON).body(Map.of("amount", 100))
                .post("/api/admin/users/" + eager.user() + "/credits").then().statusCode(200);
        // Windows are whole minutes. The creates may straddle a boundary on a slow machine, but 41 of them fall in
        // at most two windows, so one window sees a 21st: the user's first refusal comes after 20 to 40 accepted.
        int accepted = 0;
        Response refused = null;
        while (refused == null && accepted <= 40) {
            Response answer = eager.create(Map.of("prompt", "quick " + accepted, "originalImage",
                    TestPhotos.pngDataUrl(), "imageCount", 1));
            if (answer.statusCode() == 429) {
                refused = answer;
            } else {
                answer.then().statusCode(202);
                eager.cancel(UUID.fromString(answer.path("jobId"))).then().statusCode(200);
                accepted++;
            }
        }
        assertNotNull(refused, "41 creates within two minutes were all accepted");
        assertTrue(accepted >= 20, "refused after only " + accepted + " creates");
        refused.then().contentType("application/problem+json");
        int retryAfter = Integer.parseInt(refused.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 61, "Retry-After " + retryAfter);
    }

    @Test
    void corsAllowsConfiguredOriginsOnly() {
        given().header("Origin", "http://127.0.0.1:8080").header("Access-Control-Request-Method", "POST")
                .options("/api/generate-nail-design-job").then()
                .header("Access-Control-Allow-Origin", equalTo("http://127.0.0.1:8080"));
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .options("/api/generate-nail-design-job").then()
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void operatorsSeeActiveAndFailedJobsAndCanRequeueWithoutChargingTwice() {
        ApiClient user = ApiClient.newUser("watched");
        ApiClient admin = new ApiClient("admin-ops-" + UUID.randomUUID().toString().substring(0, 6));
        UUID job = user.createJob("to fail", 2);
        admin.request().get("/api/admin/jobs/active").then().statusCode(200)
                .body("job.jobId", hasItem(job.toString()));
        admin.request().get("/api/admin/users/" + user.user() + "/jobs").then().statusCode(200)
                .body("total", equalTo(1));

        WorkerSide worker = new WorkerSide(job, user.user());
        Kafka.publishEvent(worker.started(1));
        Kafka.publishEvent(worker.failed(1, ErrorCode.CONTENT_POLICY, false));
        await().atMost(Duration.ofSeconds(20)).until(() -> "failed".equals(user.status(job)));
        int balanceAfterRefund = user.balance();
        admin.request().get("/api/admin/jobs/failures").then().statusCode(200)
                .body("recent.job.jobId", hasItem(job.toString()));
        assertTrue((int) admin.request().get("/api/admin/jobs/failures").path("countsByErrorCode.CONTENT_POLICY") >= 1);

        admin.request().post("/api/admin/jobs/" + job + "/requeue").then().statusCode(200)
                .body("status", equalTo("processing")).body("attempt", equalTo(2));
        Kafka.publishEvent(worker.started(2));
        Kafka.publishEvent(worker.completed(2, 2));
        await().atMost(Duration.ofSeconds(20)).until(() -> "completed".equals(user.status(job)));
        assertEquals(balanceAfterRefund, user.balance(), "the requeued job is not charged a second time");
        user.request().get("/api/admin/jobs/active").then().statusCode(403);
    }
}
