package dev.lacquer.localstack;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authorization codes between the login form and the token endpoint: random, single-use (a code is gone with its
 * first redemption, successful or not) and short-lived.
 */
final class AuthorizationCodes {

    /** What the user granted and what the token request must prove: same client, same redirect URI, the verifier. */
    record Grant(String clientId, String redirectUri, String codeChallenge, String username, String nonce,
                 Instant expiresAt) {
    }

    private static final int MAX_OUTSTANDING = 10_000;

    private final Map<String, Grant> outstanding = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Duration lifetime;
    private final Clock clock;

    AuthorizationCodes(Duration lifetime, Clock clock) {
        this.lifetime = lifetime;
        this.clock = clock;
    }

    Duration lifetime() {
        return lifetime;
    }

    /** A new code for this grant, valid for the lifetime. */
    String issue(String clientId, String redirectUri, String codeChallenge, String username, String nonce) {
        Instant now = clock.instant();
        outstanding.values().removeIf(grant -> !grant.expiresAt().isAfter(now));
        if (outstanding.size() >= MAX_OUTSTANDING) {
            throw new IllegalStateException("too many outstanding authorization codes");
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String code = SigningKey.b64(bytes);
        outstanding.put(code, new Grant(clientId, redirectUri, codeChallenge, username, nonce, now.plus(lifetime)));
        return code;
    }

    /** The code's grant, once: empty when the code is unknown, already redeemed or expired. */
    Optional<Grant> redeem(String code) {
        if (code == null) {
            return Optional.empty();
        }
        Grant grant = outstanding.remove(code);
        return grant != null && grant.expiresAt().isAfter(clock.instant()) ? Optional.of(grant) : Optional.empty();
    }
}
