package dev.lacquer.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dev issuer's authorization code flow with PKCE, as a browser and the web client drive it: the login form,
 * the redirect with code and state, the token request, and every rule a code must pass (one use, same client, same
 * redirect URI, the verifier of its challenge, its lifetime, the redirect URI allow-list).
 */
class DevIssuerCodeFlowIT {

    private static final String CLIENT = "lacquer-web";
    private static final String REDIRECT = "http://127.0.0.1:43123/callback";
    private static final String PASSWORD = "lacquer-dev";

    private static final String STRICT_REDIRECT = "http://127.0.0.1:4000/app/callback";

    /** With the defaults: loopback redirect URIs, codes valid 60 s. */
    private static DevIssuerProcess issuer;
    /** With a one-second code lifetime and an allow-list of its own. */
    private static DevIssuerProcess strict;

    @BeforeAll
    static void startIssuers() {
        Assumptions.assumeTrue(Files.isRegularFile(DevIssuerProcess.JAR), "local-stack.jar is built by stack.sh start");
        issuer = DevIssuerProcess.start();
        strict = DevIssuerProcess.start("--code-ttl", "1", "--redirect-uris", "http://127.0.0.1:4000/app/*");
    }

    @AfterAll
    static void stopIssuers() {
        for (DevIssuerProcess process : new DevIssuerProcess[] {issuer, strict}) {
            if (process != null) {
                process.close();
            }
        }
    }

    @Test
    void discoveryAdvertisesTheCodeFlowWithS256() {
        JsonPath discovery = given().get(issuer.issuer() + "/.well-known/openid-configuration")
                .then().statusCode(200).header("Access-Control-Allow-Origin", "*").extract().jsonPath();
        assertEquals(issuer.issuer() + "/protocol/openid-connect/auth", discovery.getString("authorization_endpoint"));
        assertEquals(List.of("S256"), discovery.getList("code_challenge_methods_supported"));
        assertTrue(discovery.getList("grant_types_supported").containsAll(List.of("authorization_code", "password")));
        assertEquals(List.of("code"), discovery.getList("response_types_supported"));
    }

    @Test
    void signingInThroughTheFormGivesACodeForTokensLikeThePasswordGrants() {
        Pkce pkce = Pkce.create();
        Response form = authorize(issuer.issuer(), request(REDIRECT, pkce.challenge(), "state-1"));
        form.then().statusCode(200).contentType("text/html");
        String html = form.asString();
        assertTrue(html.contains("id=\"username\"") && html.contains("id=\"password\"") && html.contains("id=\"kc-login\""),
                "a login form");
        assertTrue(html.contains("value=\"state-1\""), "the request travels in the form");

        Map<String, String> back = signIn(issuer.issuer(), request(REDIRECT, pkce.challenge(), "state-1"), "web-alice");
        assertEquals("state-1", back.get("state"));
        assertEquals(issuer.issuer(), back.get("iss"));

        JsonPath tokens = exchange(issuer.issuer(), back.get("code"), CLIENT, REDIRECT, pkce.verifier())
                .then().statusCode(200).header("Cache-Control", "no-store").extract().jsonPath();
        JsonPath access = claims(tokens.getString("access_token"));
        assertEquals(issuer.issuer(), access.getString("iss"));
        assertEquals("web-alice", access.getString("sub"));
        assertEquals("lacquer-api", access.getString("aud"), "the API's audience, as with the password grant");
        assertEquals(CLIENT, access.getString("azp"));
        assertEquals(List.of("user"), access.getList("realm_access.roles"));
        JsonPath id = claims(tokens.getString("id_token"));
        assertEquals(CLIENT, id.getString("aud"));
        assertEquals("nonce-web-alice", id.getString("nonce"));
    }

    @Test
    void adminUsersGetTheAdminRoleAsWithThePasswordGrant() {
        Pkce pkce = Pkce.create();
        Map<String, String> back = signIn(issuer.issuer(), request(REDIRECT, pkce.challenge(), "s"), "admin-web");
        JsonPath tokens = exchange(issuer.issuer(), back.get("code"), CLIENT, REDIRECT, pkce.verifier())
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("user", "admin"), claims(tokens.getString("access_token")).getList("realm_access.roles"));
    }

    @Test
    void aCodeGivesTokensOnce() {
        Pkce pkce = Pkce.create();
        String code = signIn(issuer.issuer(), request(REDIRECT, pkce.challenge(), "s"), "web-once").get("code");
        exchange(issuer.issuer(), code, CLIENT, REDIRECT, pkce.verifier()).then().statusCode(200);
        assertInvalidGrant(exchange(issuer.issuer(), code, CLIENT, REDIRECT, pkce.verifier()));
    }

    @Test
    void aWrongVerifierIsRefusedAndBurnsTheCode() {
        Pkce pkce = Pkce.create();
        String code = signIn(issuer.issuer(), request(REDIRECT, pkce.challenge(), "s"), "web-verifier").get("code");
        assertInvalidGrant(exchange(issuer.issuer(), code, CLIENT, REDIRECT, Pkce.create().verifier()));
        assertInvalidGrant(exchange(issuer.issuer(), code, CLIENT, REDIRECT, pkce.verifier()));
    }

    @Test
    void theCodeIsBoundToItsClientAndRedirectUri() {
        Pkce pkce = Pkce.create();
        String code = signIn(issuer.issuer(), request(REDIRECT, pkce.challenge(), "s"), "web-bound").get("code");
        assertInvalidGrant(exchange(issuer.issuer(), code, "lacquer-app", REDIRECT, pkce.verifier()));

        Pkce other = Pkce.create();
        String second = signIn(issuer.issuer(), request(REDIRECT, other.challenge(), "s"), "web-bound").get("code");
        assertInvalidGrant(exchange(issuer.issuer(), second, CLIENT, "http://127.0.0.1:43123/elsewhere", other.verifier()));

        Pkce missing = Pkce.create();
        String third = signIn(issuer.issuer(), request(REDIRECT, missing.challenge(), "s"), "web-bound").get("code");
        exchange(issuer.issuer(), third, CLIENT, REDIRECT, null).then().statusCode(400)
                .body("error", org.hamcrest.Matchers.equalTo("invalid_request"));
    }

    @Test
    void pkceS256IsRequiredAndTheClientHearsWhy() {
        Map<String, String> noChallenge = request(REDIRECT, null, "state-2");
        noChallenge.remove("code_challenge");
        noChallenge.remove("code_challenge_method");
        Map<String, String> error = redirectedTo(authorize(issuer.issuer(), noChallenge));
        assertEquals("invalid_request", error.get("error"));
        assertEquals("state-2", error.get("state"));
        assertNull(error.get("code"));

        Map<String, String> plain = request(REDIRECT, "a".repeat(43), "state-3");
        plain.put("code_challenge_method", "plain");
        Map<String, String> refused = redirectedTo(authorize(issuer.issuer(), plain));
        assertEquals("invalid_request", refused.get("error"));
        assertEquals("state-3", refused.get("state"));

        Map<String, String> implicit = request(REDIRECT, Pkce.create().challenge(), "state-4");
        implicit.put("response_type", "token");
        assertEquals("unsupported_response_type", redirectedTo(authorize(issuer.issuer(), implicit)).get("error"));
    }

    @Test
    void redirectUrisOffTheAllowListAndUnknownClientsGetAPageNotARedirect() {
        for (String redirect : List.of("https://elsewhere.example/callback", "http://127.0.0.1:80@elsewhere.example/",
                "http://127.0.0.2:43123/callback", "http://127.0.0.1:43123/callback#fragment", "javascript:alert(1)")) {
            Response answer = authorize(issuer.issuer(), request(redirect, Pkce.create().challenge(), "s"));
            answer.then().statusCode(400).contentType("text/html");
            assertNull(answer.header("Location"), redirect);
        }
        Map<String, String> unknown = request(REDIRECT, Pkce.create().challenge(), "s");
        unknown.put("client_id", "someone-else");
        authorize(issuer.issuer(), unknown).then().statusCode(400).header("Location", org.hamcrest.Matchers.nullValue());
        Map<String, String> apiClient = request(REDIRECT, Pkce.create().challenge(), "s");
        apiClient.put("client_id", "lacquer-api");
        authorize(issuer.issuer(), apiClient).then().statusCode(400);
        // localhost on any port is on the default list too
        authorize(issuer.issuer(), request("http://localhost:5173/", Pkce.create().challenge(), "s")).then().statusCode(200);
    }

    @Test
    void aWrongPasswordShowsTheFormAgainWithoutACode() {
        Map<String, String> form = request(REDIRECT, Pkce.create().challenge(), "s");
        form.put("username", "web-wrong");
        form.put("password", "not-the-dev-password");
        Response answer = given().redirects().follow(false).formParams(form)
                .post(issuer.issuer() + "/protocol/openid-connect/auth");
        answer.then().statusCode(200).contentType("text/html");
        assertNull(answer.header("Location"));
        assertTrue(answer.asString().contains("Invalid username or password."));
    }

    @Test
    void theTokenEndpointAnswersBrowsersOfAllowedOriginsOnly() {
        Pkce pkce = Pkce.create();
        String code = signIn(issuer.issuer(), request(REDIRECT, pkce.challenge(), "s"), "web-cors").get("code");
        given().header("Origin", "http://127.0.0.1:43123").formParam("grant_type", "authorization_code")
                .formParam("client_id", CLIENT).formParam("code", code).formParam("redirect_uri", REDIRECT)
                .formParam("code_verifier", pkce.verifier())
                .post(issuer.issuer() + "/protocol/openid-connect/token")
                .then().statusCode(200).header("Access-Control-Allow-Origin", "http://127.0.0.1:43123");
        Response foreign = given().header("Origin", "https://elsewhere.example").formParam("grant_type", "password")
                .formParam("client_id", "lacquer-app").formParam("username", "web-cors").formParam("password", PASSWORD)
                .post(issuer.issuer() + "/protocol/openid-connect/token");
        assertNull(foreign.header("Access-Control-Allow-Origin"), "no CORS for a foreign origin");
    }

    @Test
    void theWebClientCannotUseThePasswordGrant() {
        given().formParam("grant_type", "password").formParam("client_id", CLIENT).formParam("username", "web-pw")
                .formParam("password", PASSWORD).post(issuer.issuer() + "/protocol/openid-connect/token")
                .then().statusCode(401).body("error", org.hamcrest.Matchers.equalTo("invalid_client"));
    }

    @Test
    void logoutSendsTheBrowserBackToAnAllowedUriOnly() {
        Response back = given().redirects().follow(false).queryParam("post_logout_redirect_uri", REDIRECT)
                .queryParam("state", "bye").get(issuer.issuer() + "/protocol/openid-connect/logout");
        back.then().statusCode(302);
        assertTrue(back.header("Location").startsWith(REDIRECT + "?state=bye"), back.header("Location"));
        given().redirects().follow(false).queryParam("post_logout_redirect_uri", "https://elsewhere.example/")
                .get(issuer.issuer() + "/protocol/openid-connect/logout").then().statusCode(400);
    }

    @Test
    void anExpiredCodeGivesNoTokens() throws InterruptedException {
        Pkce pkce = Pkce.create();
        String code = signIn(strict.issuer(), request(STRICT_REDIRECT, pkce.challenge(), "s"), "web-late").get("code");
        Thread.sleep(1_500);
        assertInvalidGrant(exchange(strict.issuer(), code, CLIENT, STRICT_REDIRECT, pkce.verifier()));
    }

    @Test
    void aConfiguredAllowListReplacesTheLoopbackDefault() {
        authorize(strict.issuer(), request(STRICT_REDIRECT, Pkce.create().challenge(), "s")).then().statusCode(200);
        for (String refused : List.of("http://127.0.0.1:4001/app/callback", "http://localhost:4000/app/callback",
                "http://127.0.0.1:4000/other", REDIRECT)) {
            authorize(strict.issuer(), request(refused, Pkce.create().challenge(), "s")).then().statusCode(400);
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private record Pkce(String verifier, String challenge) {
        static Pkce create() {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
                return new Pkce(verifier, Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static Map<String, String> request(String redirectUri, String challenge, String state) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", CLIENT);
        params.put("redirect_uri", redirectUri);
        params.put("scope", "openid profile");
        params.put("state", state);
        params.put("code_challenge", challenge);
        params.put("code_challenge_method", "S256");
        return params;
    }

    private static Response authorize(String issuer, Map<String, String> params) {
        return given().redirects().follow(false).queryParams(params).get(issuer + "/protocol/openid-connect/auth");
    }

    /** Posts the login form as the browser does and answers the parameters of the redirect back to the client. */
    private static Map<String, String> signIn(String issuer, Map<String, String> request, String username) {
        Map<String, String> form = new LinkedHashMap<>(request);
        form.put("nonce", "nonce-" + username);
        form.put("username", username);
        form.put("password", PASSWORD);
        Map<String, String> back = redirectedTo(given().redirects().follow(false).formParams(form)
                .post(issuer + "/protocol/openid-connect/auth"));
        assertNotNull(back.get("code"), "a code in " + back);
        return back;
    }

    private static Map<String, String> redirectedTo(Response response) {
        response.then().statusCode(302);
        String location = response.header("Location");
        assertTrue(location != null && location.contains("?"), "a redirect with parameters: " + location);
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            String[] nameValue = pair.split("=", 2);
            params.put(nameValue[0], URLDecoder.decode(nameValue.length > 1 ? nameValue[1] : "", StandardCharsets.UTF_8));
        }
        return params;
    }

    private static Response exchange(String issuer, String code, String clientId, String redirectUri, String verifier) {
        var request = given().formParam("grant_type", "authorization_code").formParam("client_id", clientId)
                .formParam("code", code).formParam("redirect_uri", redirectUri);
        if (verifier != null) {
            request.formParam("code_verifier", verifier);
        }
        return request.post(issuer + "/protocol/openid-connect/token");
    }

    private static void assertInvalidGrant(Response response) {
        response.then().statusCode(400);
        assertEquals("invalid_grant", response.jsonPath().getString("error"));
        assertFalse(response.asString().contains("access_token"));
    }

    private static JsonPath claims(String jws) {
        String payload = jws.split("\\.")[1];
        return JsonPath.from(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
    }
}
