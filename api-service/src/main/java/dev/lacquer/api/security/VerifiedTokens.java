package dev.lacquer.api.security;

import dev.lacquer.api.config.LacquerConfig;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Bearer tokens this replica has already verified, with the identity OIDC built from each, so an app polling with the
 * same token is not verified again on every request: the signature check and claim parsing were a third of the CPU
 * of {@code GET /api/user/pending-generations}. A token is immutable and signed, so what it proves cannot change
 * while it is valid; an entry is used only until the token's {@code exp} and at most {@code maxAge} after it was
 * verified (the bound on how long a signing key withdrawn from the issuer's key set is still honoured here). The map
 * is keyed by the whole token, so only the same bytes ever match. Bounded like the presigned URL cache: when full,
 * the expired entries are dropped, and if that is not enough the whole map.
 */
@ApplicationScoped
public class VerifiedTokens {

    private record Entry(SecurityIdentity identity, long usableUntilMillis) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final int maxEntries;
    private final long maxAgeMillis;
    private final LongSupplier clock;

    @Inject
    VerifiedTokens(LacquerConfig config) {
        this(config.auth().verifiedTokens(), config.auth().verifiedTokenMaxAge(), System::currentTimeMillis);
    }

    VerifiedTokens(int maxEntries, Duration maxAge, LongSupplier clockMillis) {
        this.maxEntries = maxEntries;
        this.maxAgeMillis = maxAge.toMillis();
        this.clock = clockMillis;
    }

    /** The identity verified for exactly this token, while it may still be used; else null. */
    SecurityIdentity find(String token) {
        if (maxEntries == 0) {
            return null;
        }
        Entry entry = entries.get(token);
        if (entry == null) {
            return null;
        }
        if (clock.getAsLong() >= entry.usableUntilMillis) {
            entries.remove(token, entry);
            return null;
        }
        return entry.identity;
    }

    boolean holds(String token) {
        return entries.containsKey(token);
    }

    /** Remembers the identity verified for the token, which expires at {@code expiresAtSeconds} (epoch seconds). */
    void remember(String token, long expiresAtSeconds, SecurityIdentity identity) {
        if (maxEntries == 0) {
            return;
        }
        long now = clock.getAsLong();
        long until = Math.min(expiresAtSeconds * 1000, now + maxAgeMillis);
        if (until <= now) {
            return;
        }
        if (entries.size() >= maxEntries) {
            entries.values().removeIf(entry -> now >= entry.usableUntilMillis);
            if (entries.size() >= maxEntries) {
                entries.clear();
            }
        }
        entries.put(token, new Entry(identity, until));
    }

    int size() {
        return entries.size();
    }
}
