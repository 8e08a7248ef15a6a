package dev.lacquer.api.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.lacquer.api.support.TokenForge;
import dev.lacquer.testsupport.AccessTokens;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A token verified once and then served from memory keeps meaning exactly what it meant, and only while valid. */
@QuarkusTest
class RememberedTokensTest {

    @BeforeEach
    void localIssuer() {
        Assumptions.assumeTrue(TokenForge.available(), "needs the local stack's development issuer key");
    }

    @Test
    void aTokenUsedAgainAfterItsExpiryIsRefused() throws InterruptedException {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = TokenForge.claims(AccessTokens.newUser("short"));
        claims.put("exp", now + 2);
        String token = TokenForge.signedByIssuer(claims);
        for (int i = 0; i < 3; i++) { // verified, then remembered
            given().auth().oauth2(token).get("/api/user/pending-generations").then().statusCode(200);
        }
        while (Instant.now().getEpochSecond() < now + 3) {
            Thread.sleep(100);
        }
        given().auth().oauth2(token).get("/api/user/pending-generations").then().statusCode(401)
                .contentType("application/problem+json").body("status", equalTo(401));
    }

    @Test
    void rememberedTokensKeepTheirOwnUserAndRoles() {
        String user = AccessTokens.newUser("mixed");
        Map<String, Object> plainClaims = TokenForge.claims(user);
        Map<String, Object> adminClaims = TokenForge.claims("admin-" + user);
        adminClaims.put("realm_access", Map.of("roles", List.of("user", "admin")));
        String plain = TokenForge.signedByIssuer(plainClaims);
        String admin = TokenForge.signedByIssuer(adminClaims);
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(plain).get("/api/admin/ledger-audit").then().statusCode(403);
            given().auth().oauth2(admin).get("/api/admin/ledger-audit").then().statusCode(200);
            given().auth().oauth2(plain).get("/api/user/credits").then().statusCode(200);
        }
    }

    @Test
    void aTokenDifferingInOneCharacterFromARememberedOneIsVerifiedAgain() {
        String token = TokenForge.signedByIssuer(TokenForge.claims(AccessTokens.newUser("tamper")));
        given().auth().oauth2(token).get("/api/user/credits").then().statusCode(200);
        int last = token.length() - 2;
        String tampered = token.substring(0, last) + (token.charAt(last) == 'A' ? 'B' : 'A') + token.substring(last + 1);
        given().auth().oauth2(tampered).get("/api/user/credits").then().statusCode(401);
        given().auth().oauth2(token).get("/api/user/credits").then().statusCode(200);
    }
}
