package dev.lacquer.api.support;

import static io.restassured.RestAssured.given;

import dev.lacquer.testsupport.AccessTokens;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.UUID;

/** The HTTP calls a client app makes, as one user. */
public record ApiClient(String user) {

    public static ApiClient newUser(String prefix) {
        return new ApiClient(AccessTokens.newUser(prefix));
    }

    public RequestSpecification request() {
        return given().auth().oauth2(AccessTokens.tokenFor(user));
    }

    public Response create(Map<String, Object> body) {
        return request().contentType(ContentType.JSON).body(body).post("/api/generate-nail-design-job");
    }

    public UUID createJob(String prompt, int imageCount) {
        String id = create(Map.of("prompt", prompt, "originalImage", TestPhotos.pngDataUrl(), "imageCount", imageCount,
                "designSettings", Map.of("shape", "almond", "finish", "glossy", "colors", java.util.List.of("#ff3366"))))
                .then().statusCode(202).extract().path("jobId");
        return UUID.fromString(id);
    }

    public Response job(UUID jobId) {
        return request().get("/api/generation-job/" + jobId);
    }

    public String status(UUID jobId) {
        return job(jobId).then().statusCode(200).extract().path("status");
    }

    public Response pending() {
        return request().get("/api/user/pending-generations");
    }

    public Response autoSave(UUID jobId) {
        return request().post("/api/generation-job/" + jobId + "/auto-save");
    }

    public Response cancel(UUID jobId) {
        return request().post("/api/generation-job/" + jobId + "/cancel");
    }

    public Response credits() {
        return request().get("/api/user/credits");
    }

    public int balance() {
        return credits().then().statusCode(200).extract().path("balance");
    }

    public int available() {
        return credits().then().statusCode(200).extract().path("available");
    }

    public Response looks() {
        return request().get("/api/looks");
    }
}
