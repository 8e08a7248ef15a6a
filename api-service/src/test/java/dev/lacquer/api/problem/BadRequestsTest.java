package dev.lacquer.api.problem;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lacquer.api.support.ApiClient;
import dev.lacquer.api.support.TestPhotos;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Every bad request gets a clear problem+json answer with the right status, leaks nothing
 * internal, and changes nothing: no job, no look, no stored object, no credit movement.
 */
@QuarkusTest
class BadRequestsTest {

    private static final ApiClient VICTIM = ApiClient.newUser("victim");
    private static final ApiClient STRANGER = ApiClient.newUser("stranger");
    private static UUID pendingJob;
    private static UUID strangersJob;

    @Inject
    DataSource dataSource;

    @Inject
    S3Client s3;

    record Case(String name, int status, Function<ApiClient, Response> call) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        String photo = TestPhotos.pngDataUrl();
        String longText = "x".repeat(1001);
        List<Case> cases = new ArrayList<>();
        // create: body and fields
        cases.add(post("empty body", 400, ""));
        cases.add(post("malformed JSON", 400, "{\"prompt\": "));
        cases.add(post("JSON array", 400, "[]"));
        cases.add(post("JSON string", 400, "\"hello\""));
        cases.add(create("prompt missing", 400, Map.of("originalImage", photo)));
        cases.add(create("prompt blank", 400, Map.of("prompt", "   ", "originalImage", photo)));
        cases.add(create("prompt too long", 400, Map.of("prompt", longText, "originalImage", photo)));
        cases.add(create("prompt an object", 400, Map.of("prompt", Map.of("a", 1), "originalImage", photo)));
        cases.add(create("imageCount 0", 400, Map.of("prompt", "p", "originalImage", photo, "imageCount", 0)));
        cases.add(create("imageCount 5", 400, Map.of("prompt", "p", "originalImage", photo, "imageCount", 5)));
        cases.add(create("imageCount negative", 400, Map.of("prompt", "p", "originalImage", photo, "imageCount", -2)));
        cases.add(create("imageCount a word", 400, Map.of("prompt", "p", "originalImage", photo, "imageCount", "two")));
        cases.add(create("unknown shape", 400, settings(photo, Map.of("shape", "heart"))));
        cases.add(create("unknown length", 400, settings(photo, Map.of("length", "xxl"))));
        cases.add(create("unknown finish", 400, settings(photo, Map.of("finish", "sparkly"))));
        cases.add(create("six colours", 400, settings(photo, Map.of("colors",
                List.of("#000000", "#111111", "#222222", "#333333", "#444444", "#555555")))));
        cases.add(create("colour name", 400, settings(photo, Map.of("colors", List.of("red")))));
        cases.add(create("style too long", 400, settings(photo, Map.of("style", "y".repeat(81)))));
        cases.add(create("settings a string", 400, Map.of("prompt", "p", "originalImage", photo,
                "designSettings", "almond")));
        cases.add(create("photo missing", 400, Map.of("prompt", "p")));
        cases.add(create("photo as a URL (never fetched)", 400, Map.of("prompt", "p",
                "originalImage", "http://127.0.0.1:1/hand.png")));
        cases.add(create("data URL without base64", 400, Map.of("prompt", "p", "originalImage", "data:image/png,abc")));
        cases.add(create("broken base64", 400, Map.of("prompt", "p", "originalImage", "data:image/png;base64,@@@@")));
        cases.add(create("text posing as PNG", 415, Map.of("prompt", "p",
                "originalImage", TestPhotos.dataUrl("image/png", "hello, not an image".getBytes()))));
        cases.add(create("GIF", 415, Map.of("prompt", "p",
                "originalImage", TestPhotos.dataUrl("image/gif", gif()))));
        cases.add(create("photo over 20 MB", 413, Map.of("prompt", "p",
                "originalImage", "data:image/png;base64," + Base64.getEncoder().encodeToString(new byte[21 * 1024 * 1024]))));
        cases.add(new Case("body over the size limit", 413, BadRequestsTest::oversizedBody));
        cases.add(new Case("text/plain body", 415, u -> u.request().contentType(ContentType.TEXT).body("prompt=p")
                .post("/api/generate-nail-design-job")));
        cases.add(new Case("XML body", 415, u -> u.request().contentType(ContentType.XML).body("<job/>")
                .post("/api/generate-nail-design-job")));
        cases.add(new Case("asks for XML", 406, u -> u.request().contentType(ContentType.JSON).accept(ContentType.XML)
                .body(Map.of("prompt", "p", "originalImage", photo)).post("/api/generate-nail-design-job")));
        cases.add(new Case("idempotency key too long", 400, u -> u.request().contentType(ContentType.JSON)
                .header("Idempotency-Key", "k".repeat(300)).body(Map.of("prompt", "p", "originalImage", photo))
                .post("/api/generate-nail-design-job")));
        cases.add(new Case("GET on create", 405, u -> u.request().get("/api/generate-nail-design-job")));
        // jobs
        cases.add(new Case("malformed job id", 404, u -> u.request().get("/api/generation-job/not-a-uuid")));
        cases.add(new Case("unknown job id", 404, u -> u.request().get("/api/generation-job/" + UUID.randomUUID())));
        cases.add(new Case("another user's job", 404, u -> u.request().get("/api/generation-job/" + strangersJob)));
        cases.add(new Case("auto-save a pending job", 409,
                u -> u.request().post("/api/generation-job/" + pendingJob + "/auto-save")));
        cases.add(new Case("auto-save an unknown job", 404,
                u -> u.request().post("/api/generation-job/" + UUID.randomUUID() + "/auto-save")));
        cases.add(new Case("auto-save another user's job", 404,
                u -> u.request().post("/api/generation-job/" + strangersJob + "/auto-save")));
        cases.add(new Case("cancel another user's job", 404,
                u -> u.request().post("/api/generation-job/" + strangersJob + "/cancel")));
        cases.add(new Case("seen on a pending job", 409,
                u -> u.request().post("/api/generation-job/" + pendingJob + "/seen")));
        cases.add(new Case("seen on another user's job", 404,
                u -> u.request().post("/api/generation-job/" + strangersJob + "/seen")));
        cases.add(new Case("DELETE a job", 405, u -> u.request().delete("/api/generation-job/" + pendingJob)));
        // lists
        cases.add(new Case("page size 0", 400, u -> u.request().get("/api/user/generation-jobs?size=0")));
        cases.add(new Case("page size 101", 400, u -> u.request().get("/api/user/generation-jobs?size=101")));
        cases.add(new Case("negative page", 400, u -> u.request().get("/api/user/generation-jobs?page=-1")));
        cases.add(new Case("page a word", 400, u -> u.request().get("/api/user/generation-jobs?page=abc")));
        cases.add(new Case("looks page size 1000", 400, u -> u.request().get("/api/looks?size=1000")));
        // sweep and admin
        cases.add(new Case("cron without secret", 401, u -> given().post("/api/process-generation-jobs")));
        cases.add(new Case("cron with a wrong secret", 401, u -> given().header("Authorization", "Bearer nope")
                .post("/api/process-generation-jobs")));
        cases.add(new Case("grant credits without admin role", 403, u -> u.request().contentType(ContentType.JSON)
                .body(Map.of("amount", 5)).post("/api/admin/users/" + u.user() + "/credits")));
        cases.add(new Case("admin grant of 0", 400, u -> new ApiClient("admin-" + u.user()).request()
                .contentType(ContentType.JSON).body(Map.of("amount", 0)).post("/api/admin/users/" + u.user() + "/credits")));
        cases.add(new Case("admin grant too large", 400, u -> new ApiClient("admin-" + u.user()).request()
                .contentType(ContentType.JSON).body(Map.of("amount", 1_000_000))
                .post("/api/admin/users/" + u.user() + "/credits")));
        cases.add(new Case("unknown path", 404, u -> u.request().get("/api/no-such-thing")));
        return cases.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersAProblemAndChangesNothing(Case bad) throws SQLException {
        setUpOnce();
        Map<String, Long> before = footprint();

        Response response = bad.call().apply(VICTIM);

        response.then().statusCode(bad.status()).contentType("application/problem+json")
                .body("status", equalTo(bad.status()))
                .body("title", not(equalTo(null)))
                .body(not(containsString("Exception")))
                .body(not(containsString("at dev.")))
                .body(not(containsString("org.hibernate")))
                .body(not(containsString("SQL")));
        assertEquals(before, footprint(), "nothing changed for " + bad.name());
    }

    private synchronized void setUpOnce() {
        if (pendingJob == null) {
            pendingJob = VICTIM.createJob("pending", 1);
            strangersJob = STRANGER.createJob("not yours", 1);
        }
    }

    /** Everything a request could have left behind for the victim. */
    private Map<String, Long> footprint() throws SQLException {
        Map<String, Long> counts = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            counts.put("jobs", count(c, "select count(*) from generation_jobs where user_id = ?"));
            counts.put("looks", count(c, "select count(*) from looks where user_id = ?"));
            counts.put("ledger", count(c, "select count(*) from credit_ledger where user_id = ?"));
            counts.put("balance", count(c, "select coalesce(sum(balance), 0) from credit_accounts where user_id = ?"));
            counts.put("idempotency", count(c, "select count(*) from idempotency_keys where user_id = ?"));
        }
        counts.put("objects", (long) s3.listObjectsV2(l -> l.bucket("lacquer").prefix("originals/" + VICTIM.user() + "/"))
                .keyCount());
        return counts;
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setString(1, VICTIM.user());
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * A 31 MB body sent as a careful client does ({@code Expect: 100-continue}): the server must
     * refuse it from its length, before reading it.
     */
    private static Response oversizedBody(ApiClient user) {
        return user.request().contentType(ContentType.JSON).header("Expect", "100-continue")
                .body(new byte[31 * 1024 * 1024]).post("/api/generate-nail-design-job");
    }

    private static Case post(String name, int status, String rawBody) {
        return new Case(name, status, u -> u.request().contentType(ContentType.JSON).body(rawBody)
                .post("/api/generate-nail-design-job"));
    }

    private static Case create(String name, int status, Map<String, Object> body) {
        return new Case(name, status, u -> u.create(body));
    }

    private static Map<String, Object> settings(String photo, Map<String, Object> designSettings) {
        return Map.of("prompt", "p", "originalImage", photo, "designSettings", designSettings);
    }

    private static byte[] gif() {
        return new byte[]{'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0, 0, 0, ';'};
    }
}
