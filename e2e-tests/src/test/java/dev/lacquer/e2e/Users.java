package dev.lacquer.e2e;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;

/** A client app signed in as one user, talking to the API process. */
public record Users(String api, String user, String token) {

    private static final String TOKEN_URL = env("OIDC_TOKEN_URL",
            env("OIDC_AUTH_SERVER_URL", "http://127.0.0.1:19180/realms/lacquer") + "/protocol/openid-connect/token");
    private static final String PASSWORD = env("LACQUER_DEV_PASSWORD", "lacquer-dev");

    public static Users signIn(String api, String prefix) {
        String user = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        String token = given().formParam("grant_type", "password").formParam("client_id", "lacquer-app")
                .formParam("username", user).formParam("password", PASSWORD)
                .post(TOKEN_URL).then().statusCode(200).extract().path("access_token");
        return new Users(api, user, token);
    }

    /** The same signed-in user, talking to another API process. */
    public Users at(String otherApi) {
        return new Users(otherApi, user, token);
    }

    public RequestSpecification request() {
        return given().baseUri(api).auth().oauth2(token);
    }

    public UUID createJob(String prompt) {
        String id = request().contentType(ContentType.JSON)
                .body(Map.of("prompt", prompt, "originalImage", handPhotoDataUrl(), "imageCount", 2,
                        "designSettings", Map.of("shape", "coffin", "finish", "chrome", "colors", List.of("#c0c0ff"))))
                .post("/api/generate-nail-design-job").then().statusCode(202).extract().path("jobId");
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

    public Response looks() {
        return request().get("/api/looks?size=100");
    }

    static String handPhotoDataUrl() {
        BufferedImage image = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(0xF1D2B6));
        g.fillRect(0, 0, 320, 240);
        g.setColor(new Color(0xD9A987));
        g.fillRoundRect(60, 40, 200, 180, 60, 60);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpeg", out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
