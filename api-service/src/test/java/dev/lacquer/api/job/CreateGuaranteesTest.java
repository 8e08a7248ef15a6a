package dev.lacquer.api.job;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lacquer.api.support.ApiClient;
import dev.lacquer.api.credit.LedgerAudit;
import dev.lacquer.api.support.TestPhotos;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Creates that race, repeat or overreach: credits never overspent, no job made twice. */
@QuarkusTest
class CreateGuaranteesTest {

    @Inject
    LedgerAudit ledger;

    @AfterEach
    void booksBalance() {
        assertEquals(List.of(), ledger.violations());
    }

    @Test
    void tenParallelCreatesWhoseCreditsCoverThreeAcceptExactlyThree() throws Exception {
        ApiClient racer = ApiClient.newUser("racer");
        // 20 starting credits; two 4-design jobs reserve 8, leaving 12 = three 4-design jobs.
        racer.createJob("filler 1", 4);
        racer.createJob("filler 2", 4);
        assertEquals(12, racer.available());
        List<Callable<Integer>> creates = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            creates.add(() -> racer.create(Map.of("prompt", "race " + n, "originalImage", TestPhotos.pngDataUrl(),
                    "imageCount", 4)).statusCode());
        }
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> result : pool.invokeAll(creates)) {
                statuses.add(result.get());
            }
            assertEquals(3, statuses.stream().filter(s -> s == 202).count(), statuses.toString());
            assertEquals(7, statuses.stream().filter(s -> s == 402).count(), statuses.toString());
        } finally {
            pool.shutdown();
        }
        assertEquals(0, racer.available());
        racer.request().get("/api/user/generation-jobs").then().body("total", equalTo(5));
    }

    @Test
    void idempotencyKeyReplaysTheFirstResponseAndRefusesAnotherBody() {
        ApiClient client = ApiClient.newUser("idem");
        Map<String, Object> body = Map.of("prompt", "once only", "originalImage", TestPhotos.pngDataUrl(),
                "imageCount", 1);
        Response first = idempotent(client, "key-1", body);
        first.then().statusCode(202);
        String jobId = first.path("jobId");

        idempotent(client, "key-1", body).then().statusCode(202).body("jobId", equalTo(jobId));
        client.request().get("/api/user/generation-jobs").then().body("total", equalTo(1));

        idempotent(client, "key-1", Map.of("prompt", "something else", "originalImage", TestPhotos.pngDataUrl()))
                .then().statusCode(422).contentType("application/problem+json");
        client.request().get("/api/user/generation-jobs").then().body("total", equalTo(1));

        // Keys belong to their user: another user's identical key is a new request.
        ApiClient other = ApiClient.newUser("idem-other");
        idempotent(other, "key-1", body).then().statusCode(202);
    }

    @Test
    void aFailedRequestLeavesNoKeySoItCanBeRetried() {
        ApiClient client = ApiClient.newUser("idem-retry");
        Map<String, Object> tooBig = Map.of("prompt", "big", "originalImage", TestPhotos.pngDataUrl(), "imageCount", 4);
        for (int i = 0; i < 5; i++) {
            client.createJob("fill " + i, 4);
        }
        idempotent(client, "retry-key", tooBig).then().statusCode(402);
        client.request().contentType(ContentType.JSON).body(Map.of("amount", 4))
                .post("/api/admin/users/" + client.user() + "/credits").then().statusCode(403);
        ApiClient admin = new ApiClient("admin-" + client.user());
        admin.request().contentType(ContentType.JSON).body(Map.of("amount", 4))
                .post("/api/admin/users/" + client.user() + "/credits").then().statusCode(200);
        idempotent(client, "retry-key", tooBig).then().statusCode(202);
    }

    @Test
    void tooManyActiveJobsAnswer429WithRetryAfter() {
        ApiClient busy = ApiClient.newUser("busy");
        ApiClient admin = new ApiClient("admin-" + busy.user());
        admin.request().contentType(ContentType.JSON).body(Map.of("amount", 100))
                .post("/api/admin/users/" + busy.user() + "/credits").then().statusCode(200);
        for (int i = 0; i < 10; i++) {
            busy.createJob("busy " + i, 1);
        }
        busy.create(Map.of("prompt", "eleventh", "originalImage", TestPhotos.pngDataUrl(), "imageCount", 1))
                .then().statusCode(429).header("Retry-After", equalTo("30"))
                .contentType("application/problem+json");
    }

    private static Response idempotent(ApiClient client, String key, Map<String, Object> body) {
        return client.request().header("Idempotency-Key", key).contentType(ContentType.JSON).body(body)
                .post("/api/generate-nail-design-job");
    }
}
