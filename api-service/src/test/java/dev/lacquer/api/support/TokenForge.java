package dev.lacquer.api.support;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes JWTs that differ from a valid token in exactly one way, signed with the local issuer's
 * own key (read from the local stack's data directory) or with a stranger's key. Only usable
 * against the local stack's development issuer.
 */
public final class TokenForge {

    public static final String ISSUER = System.getenv().getOrDefault("OIDC_AUTH_SERVER_URL",
            "http://127.0.0.1:19180/realms/lacquer");
    private static final Path KEY_FILE = Path.of(System.getenv().getOrDefault("LACQUER_STACK_DIR", "../.local-stack"),
            "data", "oidc", "signing-key.pk8.der");
    private static final ObjectMapper JSON = new ObjectMapper();

    private TokenForge() {
    }

    public static boolean available() {
        return Files.isReadable(KEY_FILE);
    }

    /** The claims of a valid token for {@code user}; change one to make it invalid. */
    public static Map<String, Object> claims(String user) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("sub", user);
        claims.put("aud", "lacquer-api");
        claims.put("iat", now);
        claims.put("nbf", now);
        claims.put("exp", now + 300);
        claims.put("realm_access", Map.of("roles", List.of("user")));
        return claims;
    }

    public static String signedByIssuer(Map<String, Object> claims) {
        return sign(claims, issuerKey(), issuerKid());
    }

    public static String signedByStranger(Map<String, Object> claims) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return sign(claims, generator.generateKeyPair().getPrivate(), issuerKid());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsigned token ({@code alg: none}). */
    public static String unsigned(Map<String, Object> claims) {
        return encode(Map.of("alg", "none", "typ", "JWT")) + "." + encode(claims) + ".";
    }

    private static String sign(Map<String, Object> claims, PrivateKey key, String kid) {
        String input = encode(Map.of("alg", "RS256", "typ", "JWT", "kid", kid)) + "." + encode(claims);
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrivateKey issuerKey() {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(KEY_FILE)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the local issuer's key at " + KEY_FILE, e);
        }
    }

    private static String issuerKid() {
        return given().get(ISSUER + "/protocol/openid-connect/certs").then().statusCode(200)
                .extract().path("keys[0].kid");
    }

    private static String encode(Map<String, Object> part) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(part));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
