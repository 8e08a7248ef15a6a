package dev.lacquer.localstack;

import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Signs the tokens of every grant alike: an access token for the API (aud {@value #AUDIENCE}) and, for the
 * authorization code flow, an ID token for the client.
 */
final class Tokens {

    static final String AUDIENCE = "lacquer-api";
    static final String SCOPE = "openid profile";

    private final String issuer;
    private final SigningKey key;

    Tokens(String issuer, SigningKey key) {
        this.issuer = issuer;
        this.key = key;
    }

    /** {@code user}, plus {@code admin} for the user {@code admin} and every {@code admin-*} user. */
    static List<String> rolesOf(String username) {
        List<String> roles = new ArrayList<>(List.of("user"));
        if (username.equals("admin") || username.startsWith("admin-")) {
            roles.add("admin");
        }
        return roles;
    }

    /**
     * The token endpoint's answer for this user and client. With {@code idTokenNonce} non-null (possibly empty: no
     * nonce was sent) it holds an ID token too.
     */
    Map<String, Object> response(String username, String clientId, int ttl, String idTokenNonce) {
        long now = Instant.now().getEpochSecond();
        List<String> roles = rolesOf(username);
        Map<String, Object> access = new LinkedHashMap<>();
        access.put("iss", issuer);
        access.put("sub", username);
        access.put("aud", AUDIENCE);
        access.put("azp", clientId);
        access.put("typ", "Bearer");
        access.put("iat", now);
        access.put("nbf", now);
        access.put("exp", now + ttl);
        access.put("jti", UUID.randomUUID().toString());
        access.put("scope", SCOPE);
        access.put("preferred_username", username);
        access.put("realm_access", Map.of("roles", roles));
        access.put("groups", roles);

        Map<String, Object> response = new LinkedHashMap<>();
        response.put("access_token", sign(access));
        response.put("expires_in", ttl);
        response.put("refresh_expires_in", 0);
        response.put("token_type", "Bearer");
        if (idTokenNonce != null) {
            Map<String, Object> id = new LinkedHashMap<>();
            id.put("iss", issuer);
            id.put("sub", username);
            id.put("aud", clientId);
            id.put("azp", clientId);
            id.put("typ", "ID");
            id.put("iat", now);
            id.put("auth_time", now);
            id.put("exp", now + ttl);
            id.put("jti", UUID.randomUUID().toString());
            if (!idTokenNonce.isEmpty()) {
                id.put("nonce", idTokenNonce);
            }
            id.put("preferred_username", username);
            response.put("id_token", sign(id));
        }
        response.put("not-before-policy", 0);
        response.put("scope", SCOPE);
        return response;
    }

    private String sign(Map<String, Object> claims) {
        try {
            return key.sign(claims);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }
}
