package dev.lacquer.api.job;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lacquer.api.support.ApiClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The read path clients poll, for a user with a long history (rows written by SQL, as the app would have left
 * them): pending-generations, job status and history stay right, also after enough polls that PostgreSQL and the
 * driver prepare the statements on the server and may plan them generically.
 */
@QuarkusTest
class LongHistoryReadsTest {

    private static final int SEEN = 300;

    @Inject
    DataSource dataSource;

    @Test
    void pendingGenerationsJobStatusAndHistoryOfAUserWithALongHistory() throws SQLException {
        ApiClient dana = ApiClient.newUser("dana");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<UUID> seen = new ArrayList<>();
        for (int i = 0; i < SEEN; i++) {
            seen.add(insert(dana.user(), "completed", now.minus(SEEN - i + 60L, ChronoUnit.MINUTES), true));
        }
        UUID seenFailed = insert(dana.user(), "failed", now.minus(50, ChronoUnit.MINUTES), true);
        UUID canceled = insert(dana.user(), "canceled", now.minus(40, ChronoUnit.MINUTES), false);
        UUID unseenOlder = insert(dana.user(), "completed", now.minus(30, ChronoUnit.MINUTES), false);
        UUID unseenFailed = insert(dana.user(), "failed", now.minus(25, ChronoUnit.MINUTES), false);
        UUID unseenNewer = insert(dana.user(), "completed", now.minus(20, ChronoUnit.MINUTES), false);
        UUID pending = dana.createJob("the newest one", 3);
        int total = SEEN + 6;

        // more polls than pgjdbc's prepareThreshold (5) and PostgreSQL's custom-plan tries (5)
        for (int poll = 0; poll < 12; poll++) {
            JsonPath body = dana.pending().then().statusCode(200).extract().jsonPath();
            assertEquals(List.of(pending.toString()), body.getList("activeJobs.jobId"));
            assertNotNull(body.get("activeJobs[0].queuePosition"));
            assertEquals(List.of(unseenOlder.toString(), unseenNewer.toString()), body.getList("completedJobs.jobId"));
            assertEquals(List.of(unseenFailed.toString()), body.getList("failedJobs.jobId"));
            assertEquals(Map.of("activeJobs", 1, "activeDesigns", 3, "completedJobs", 2, "completedDesigns", 4,
                    "failedJobs", 1), body.getMap("counts"));
            assertFalse(body.getMap("completedJobs[0]").containsKey("queuePosition"));
            assertEquals(2, body.getList("completedJobs[1].resultImages").size());
        }

        for (int poll = 0; poll < 8; poll++) {
            UUID old = seen.get(poll * 37);
            Map<String, Object> job = dana.job(old).then().statusCode(200).body("status", equalTo("completed"))
                    .body("seen", equalTo(true)).extract().jsonPath().getMap("");
            assertEquals(old.toString(), job.get("jobId"));
            assertFalse(job.containsKey("queuePosition"), "only pending jobs are queued");
            assertFalse(job.containsKey("estimatedStartAt"), "only pending jobs have an estimate");
            ApiClient.newUser("eve").job(old).then().statusCode(404);
        }
        dana.job(canceled).then().statusCode(200).body("status", equalTo("canceled"));
        dana.job(seenFailed).then().statusCode(200).body("status", equalTo("failed"));

        // history: newest first, whole pages, the last partial page, and past the end
        JsonPath first = history(dana, 0, 20);
        assertEquals(total, first.getInt("total"));
        assertEquals(pending.toString(), first.getString("items[0].jobId"));
        assertEquals(unseenNewer.toString(), first.getString("items[1].jobId"));
        List<Instant> created = first.getList("items.createdAt", String.class).stream().map(Instant::parse).toList();
        assertEquals(created.stream().sorted(Comparator.reverseOrder()).toList(), created);
        JsonPath last = history(dana, 15, 20);
        assertEquals(total - 15 * 20, last.getList("items").size());
        assertEquals(seen.get(0).toString(), last.getString("items[" + (total - 15 * 20 - 1) + "].jobId"));
        JsonPath beyond = history(dana, 40, 20);
        assertEquals(0, beyond.getList("items").size());
        assertEquals(total, beyond.getInt("total"));
    }

    @Test
    void aJobReadTwiceCarriesTheSameWorkingImageUrl() {
        ApiClient frank = ApiClient.newUser("frank");
        UUID job = frank.createJob("same link twice", 1);
        String first = frank.job(job).then().statusCode(200).extract().path("originalImage");
        String second = frank.job(job).then().statusCode(200).extract().path("originalImage");
        assertEquals(first, second, "a presigned URL is reused while it has more than half its lifetime");
        byte[] photo = given().urlEncodingEnabled(false).get(URI.create(second)).then().statusCode(200)
                .extract().asByteArray();
        assertTrue(photo.length > 0, "the URL still downloads the photo");
    }

    private static JsonPath history(ApiClient client, int page, int size) {
        return client.request().queryParam("page", page).queryParam("size", size).get("/api/user/generation-jobs")
                .then().statusCode(200).extract().jsonPath();
    }

    /** A finished job as the API leaves it, costing nothing (so the ledger needs no charge for it). */
    private UUID insert(String user, String status, Instant createdAt, boolean seen) throws SQLException {
        UUID id = UUID.randomUUID();
        boolean completed = status.equals("completed");
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                insert into generation_jobs (id, user_id, status, prompt, design_settings, image_count, cost,
                    original_image_key, original_content_type, result_image_keys, thumbnail_keys, progress, attempt,
                    auto_saved, seen_at, error_code, error_message, created_at, started_at, completed_at, updated_at)
                values (?, ?, ?, 'old history', cast('{"shape":"oval"}' as jsonb), 2, 0, ?, 'image/png',
                        cast(? as jsonb), cast(? as jsonb), 100, 1, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            String prefix = "results/" + user + "/" + id + "/";
            s.setObject(1, id);
            s.setString(2, user);
            s.setString(3, status);
            s.setString(4, "originals/" + user + "/" + id);
            s.setString(5, completed ? "[\"" + prefix + "0.png\",\"" + prefix + "1.png\"]" : null);
            s.setString(6, completed ? "[\"" + prefix + "thumb-0.png\",\"" + prefix + "thumb-1.png\"]" : null);
            s.setBoolean(7, completed);
            s.setObject(8, seen ? java.sql.Timestamp.from(createdAt.plusSeconds(10)) : null, java.sql.Types.TIMESTAMP);
            s.setString(9, status.equals("failed") ? "GENERATION_FAILED" : null);
            s.setString(10, status.equals("failed") ? "Something went wrong" : null);
            s.setTimestamp(11, java.sql.Timestamp.from(createdAt));
            s.setTimestamp(12, status.equals("canceled") ? null : java.sql.Timestamp.from(createdAt.plusSeconds(1)));
            s.setTimestamp(13, java.sql.Timestamp.from(createdAt.plusSeconds(5)));
            s.setTimestamp(14, java.sql.Timestamp.from(createdAt.plusSeconds(6)));
            s.executeUpdate();
        }
        return id;
    }
}
