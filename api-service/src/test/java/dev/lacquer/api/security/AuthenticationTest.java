package dev.lacquer.api.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.lacquer.api.support.TokenForge;
import dev.lacquer.testsupport.AccessTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Only a valid token from the configured issuer, for this API, within its lifetime, gets in. */
@QuarkusTest
class AuthenticationTest {

    @BeforeEach
    void localIssuer() {
        Assumptions.assumeTrue(TokenForge.available(), "needs the local stack's development issuer key");
    }

    @Test
    void aForgedButValidTokenIsAccepted() {
        // Proves the forge makes valid tokens, so each rejection below is caused by its one defect.
        given().auth().oauth2(TokenForge.signedByIssuer(TokenForge.claims(AccessTokens.newUser("forged"))))
                .get("/api/user/credits").then().statusCode(200);
    }

    static Stream<Arguments> badTokens() {
        long now = java.time.Instant.now().getEpochSecond();
        return Stream.of(
                Arguments.of("no token", (Function<RequestSpecification, RequestSpecification>) r -> r),
                Arguments.of("malformed", bearer(() -> "not.a.jwt")),
                Arguments.of("garbage", bearer(() -> "Zm9v")),
                Arguments.of("expired", bearer(() -> TokenForge.signedByIssuer(
                        with(Map.of("exp", now - 600, "iat", now - 1200, "nbf", now - 1200))))),
                Arguments.of("not yet valid", bearer(() -> TokenForge.signedByIssuer(
                        with(Map.of("nbf", now + 600, "exp", now + 1200))))),
                Arguments.of("wrong issuer", bearer(() -> TokenForge.signedByIssuer(
                        with(Map.of("iss", "http://127.0.0.1:1/realms/evil"))))),
                Arguments.of("wrong audience", bearer(() -> TokenForge.signedByIssuer(
                        with(Map.of("aud", "some-other-api"))))),
                Arguments.of("signed by another key", bearer(() -> TokenForge.signedByStranger(with(Map.of())))),
                Arguments.of("alg none", bearer(() -> TokenForge.unsigned(with(Map.of())))),
                Arguments.of("basic auth instead of bearer",
                        (Function<RequestSpecification, RequestSpecification>) r -> r.auth().preemptive()
                                .basic("demo-alice", "lacquer-dev")));
    }

    @ParameterizedTest(name = "{0} → 401 problem")
    @MethodSource("badTokens")
    void rejectedTokensGet401Problems(String name, Function<RequestSpecification, RequestSpecification> auth) {
        for (String path : new String[]{"/api/user/credits", "/api/user/pending-generations", "/api/looks"}) {
            auth.apply(given()).get(path).then().statusCode(401)
                    .contentType("application/problem+json")
                    .body("status", equalTo(401)).body("title", equalTo("Unauthorized"));
        }
        auth.apply(given()).contentType("application/json").body("{}")
                .post("/api/generate-nail-design-job").then().statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void adminEndpointsNeedTheAdminRole() {
        String user = AccessTokens.newUser("plain");
        given().auth().oauth2(AccessTokens.tokenFor(user)).get("/api/admin/ledger-audit").then().statusCode(403)
                .contentType("application/problem+json").body("status", equalTo(403));
        given().auth().oauth2(AccessTokens.tokenFor("admin-" + user)).get("/api/admin/ledger-audit")
                .then().statusCode(200);
    }

    private static Map<String, Object> with(Map<String, Object> overrides) {
        Map<String, Object> claims = TokenForge.claims(AccessTokens.newUser("bad"));
        claims.putAll(overrides);
        return claims;
    }

    private static Function<RequestSpecification, RequestSpecification> bearer(
            java.util.function.Supplier<String> token) {
        return r -> r.header("Authorization", "Bearer " + token.get());
    }
}
