package dev.lacquer.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed's promise end to end: both services as packaged processes on the real PostgreSQL,
 * Kafka, object store and OIDC issuer. Users create jobs and leave; the designs are generated,
 * stored and saved to their collections without them.
 */
class PipelineIT {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a};

    private static ServiceProcess worker;
    private static ServiceProcess api;

    @BeforeAll
    static void startServices() {
        worker = new ServiceProcess("worker-service", Map.of()).start();
        api = new ServiceProcess("api-service", Map.of()).start();
    }

    @AfterAll
    static void stopServices() {
        if (api != null) {
            api.close();
        }
        if (worker != null) {
            worker.close();
        }
    }

    @Test
    void jobsCompleteInTheBackgroundAndLandInTheirOwnersCollections() throws IOException {
        Users alice = Users.signIn(api.url(), "e2e-alice");
        Users bob = Users.signIn(api.url(), "e2e-bob");

        List<UUID> aliceJobs = List.of(alice.createJob("glazed donut chrome"), alice.createJob("cherry french tips"),
                alice.createJob("midnight galaxy"));
        UUID bobJob = bob.createJob("lavender marble");

        // The users are gone; the work goes on.
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() ->
                aliceJobs.stream().allMatch(id -> "completed".equals(alice.status(id)))
                        && "completed".equals(bob.status(bobJob)));

        for (UUID jobId : aliceJobs) {
            List<String> urls = alice.job(jobId).then().extract().path("resultImages");
            assertEquals(2, urls.size());
            for (String url : urls) {
                assertIsPng(url);
            }
            List<String> thumbnails = alice.job(jobId).then().extract().path("thumbnails");
            for (String url : thumbnails) {
                BufferedImage thumb = assertIsPng(url);
                assertTrue(Math.max(thumb.getWidth(), thumb.getHeight()) <= 256, "thumbnail at most 256 px");
            }
        }

        List<String> lookJobs = alice.looks().then().statusCode(200).extract().path("items.jobId");
        for (UUID jobId : aliceJobs) {
            assertEquals(2, lookJobs.stream().filter(jobId.toString()::equals).count(), "two looks for " + jobId);
        }
        assertEquals(6, lookJobs.size());
        assertEquals(List.of(bobJob.toString(), bobJob.toString()),
                bob.looks().then().extract().path("items.jobId"));

        // Coming back: the app announces what finished, once.
        Set<String> announced = Set.copyOf(alice.pending().then().statusCode(200).extract().path("completedJobs.jobId"));
        assertEquals(aliceJobs.stream().map(UUID::toString).collect(Collectors.toSet()), announced);
        assertEquals(6, (int) alice.pending().then().extract().path("counts.completedDesigns"));
        for (UUID jobId : aliceJobs) {
            List<String> lookIds = alice.request().post("/api/generation-job/" + jobId + "/auto-save")
                    .then().statusCode(200).extract().path("lookIds");
            assertEquals(2, lookIds.size());
        }
        alice.pending().then().statusCode(200);
        assertEquals(List.of(), alice.pending().then().extract().path("completedJobs"));
        assertEquals(6, ((List<?>) alice.looks().then().extract().path("items")).size(), "no duplicate saves");

        // Another user's jobs do not exist for bob.
        for (UUID jobId : aliceJobs) {
            bob.job(jobId).then().statusCode(404);
            bob.request().post("/api/generation-job/" + jobId + "/auto-save").then().statusCode(404);
            bob.request().post("/api/generation-job/" + jobId + "/cancel").then().statusCode(404);
        }
    }

    private static BufferedImage assertIsPng(String url) throws IOException {
        byte[] bytes = given().urlEncodingEnabled(false).get(url).then().statusCode(200).extract().asByteArray();
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, 8), "a PNG at " + url);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertNotNull(image, "decodable image at " + url);
        return image;
    }
}
