package dev.lacquer.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Real access tokens from the OIDC issuer the tests run against, fetched with the password grant of the
 * app's client, one per user name and kept for the test run.
 */
public final class AccessTokens {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private AccessTokens() {
    }

    /** A fresh user name, so a test's jobs and credits are its own. */
    public static String newUser(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String tokenFor(String user) {
        return CACHE.computeIfAbsent(user, AccessTokens::fetch);
    }

    private static String fetch(String user) {
        String form = Map.of("grant_type", "password", "client_id", "lacquer-app", "username", user,
                        "password", StackAddresses.devPassword()).entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(StackAddresses.oidcTokenUrl()))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the OIDC issuer at " + request.uri() + " answered "
                        + response.statusCode() + " for " + user + ": " + response.body());
            }
            JsonNode token = JSON.readTree(response.body()).path("access_token");
            if (!token.isTextual()) {
                throw new IllegalStateException("no access_token in the issuer's answer for " + user);
            }
            return token.asText();
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the OIDC issuer at " + request.uri()
                    + " (is the local stack running?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
