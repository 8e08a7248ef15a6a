package dev.lacquer.api.support;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Real access tokens from the OIDC issuer the tests run against (the local stack's issuer, or
 * the one OIDC_TOKEN_URL names), fetched with the password grant.
 */
public final class TestTokens {

    private static final String TOKEN_URL = env("OIDC_TOKEN_URL",
            env("OIDC_AUTH_SERVER_URL", "http://127.0.0.1:19180/realms/lacquer") + "/protocol/openid-connect/token");
    private static final String PASSWORD = env("LACQUER_DEV_PASSWORD", "lacquer-dev");
    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private TestTokens() {
    }

    /** A fresh user name, so a test's jobs and credits are its own. */
    public static String newUser(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String tokenFor(String user) {
        return CACHE.computeIfAbsent(user, TestTokens::fetch);
    }

    private static String fetch(String user) {
        return given().formParam("grant_type", "password").formParam("client_id", "lacquer-app")
                .formParam("username", user).formParam("password", PASSWORD)
                .when().post(TOKEN_URL)
                .then().statusCode(200).extract().path("access_token");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
