package dev.lacquer.api.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** The reference web client: its page, files and sign-in settings are served to a browser that has no token yet. */
@QuarkusTest
class WebClientTest {

    private static final Pattern RELATIVE_IMPORT = Pattern.compile("from\\s+'(\\./[^']+)'");
    private static final Pattern PAGE_ASSET = Pattern.compile("(?:src|href)=\"(/app/[^\"]+)\"");
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            ".html", "text/html", ".js", "text/javascript", ".css", "text/css");

    @Test
    void thePageIsServedWithoutATokenWithItsPolicyAndRevalidated() {
        String issuer = ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class);
        URI issuerUri = URI.create(issuer);
        String issuerOrigin = issuerUri.getScheme() + "://" + issuerUri.getHost()
                + (issuerUri.getPort() < 0 ? "" : ":" + issuerUri.getPort());

        Response page = given().get("/");
        page.then().statusCode(200).contentType(containsString("text/html"))
                .header("Cache-Control", "no-cache")
                .header("Referrer-Policy", "no-referrer")
                .header("Content-Security-Policy", containsString("connect-src 'self' " + issuerOrigin))
                .header("Content-Security-Policy", containsString("script-src 'self';"))
                .body(containsString("data-testid=\"sign-in\""))
                .body(containsString("<script type=\"module\" src=\"/app/main.js\">"));
        String lastModified = page.header("Last-Modified");
        given().header("If-Modified-Since", lastModified).get("/").then().statusCode(304);
    }

    @Test
    void clientConfigNamesTheConfiguredIssuerAndPublicClientWithoutAToken() {
        String issuer = ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class);
        given().get("/api/client-config").then().statusCode(200).contentType(containsString("application/json"))
                .body("issuer", equalTo(issuer))
                .body("clientId", equalTo("lacquer-web"))
                .body("scopes", equalTo("openid"))
                .body("design.shapes", hasItem("almond"))
                .body("design.finishes", hasItem("chrome"))
                .body("design.maxImageCount", equalTo(4))
                // presigned for an hour (lacquer.storage.url-lifetime), reused for at most half of it
                .body("imageLinksValidSeconds", equalTo(1800));
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/client-config'.get.security", equalTo(null));
    }

    @Test
    void everyFileOfTheClientIsServedWithoutATokenAndEveryReferenceResolves() throws IOException {
        Path root = resourcesRoot();
        Set<String> served = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String url = "/" + root.relativize(file).toString().replace('\\', '/');
                String extension = url.substring(url.lastIndexOf('.'));
                Response response = given().get(url);
                response.then().statusCode(200).header("Cache-Control", "no-cache")
                        .header("X-Content-Type-Options", "nosniff");
                String expected = CONTENT_TYPES.get(extension);
                if (expected != null) {
                    assertTrue(response.contentType().startsWith(expected), url + " is " + response.contentType());
                }
                assertTrue(response.asByteArray().length > 0, url + " has content");
                served.add(url);
            }
        }
        assertTrue(served.containsAll(List.of("/index.html", "/app/main.js", "/app/styles.css")), served.toString());

        Set<String> referenced = new TreeSet<>();
        collect(PAGE_ASSET, Files.readString(root.resolve("index.html")), "/", referenced);
        for (String url : served) {
            if (url.endsWith(".js")) {
                collect(RELATIVE_IMPORT, Files.readString(root.resolve(url.substring(1))),
                        url.substring(0, url.lastIndexOf('/') + 1), referenced);
            }
        }
        Set<String> missing = new TreeSet<>(referenced);
        missing.removeAll(served);
        assertEquals(Set.of(), missing, "files the page or its modules load but the server does not have");
        given().get("/app/no-such-module.js").then().statusCode(404);
    }

    @Test
    void theApiStillNeedsAToken() {
        given().get("/api/user/credits").then().statusCode(401).body(not(containsString("<html")));
    }

    private static void collect(Pattern pattern, String text, String base, Set<String> into) {
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            into.add(URI.create(base).resolve(matcher.group(1)).getPath());
        }
    }

    /** The client's files as built (target/classes/META-INF/resources). */
    private static Path resourcesRoot() {
        var url = WebClientTest.class.getClassLoader().getResource("META-INF/resources/index.html");
        return Paths.get(URI.create(url.toString())).getParent();
    }
}
