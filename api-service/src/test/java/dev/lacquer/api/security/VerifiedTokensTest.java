package dev.lacquer.api.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class VerifiedTokensTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final SecurityIdentity alice = QuarkusSecurityIdentity.builder()
            .setPrincipal(new io.quarkus.security.runtime.QuarkusPrincipal("alice")).build();

    @Test
    void usedUntilTheTokenExpires() {
        VerifiedTokens tokens = new VerifiedTokens(10, Duration.ofMinutes(1), now::get);
        tokens.remember("t", now.get() / 1000 + 30, alice);
        now.addAndGet(29_999);
        assertSame(alice, tokens.find("t"));
        now.addAndGet(1);
        assertNull(tokens.find("t"));
    }

    @Test
    void usedAtMostTheMaxAgeEvenWhenTheTokenLivesLonger() {
        VerifiedTokens tokens = new VerifiedTokens(10, Duration.ofMinutes(1), now::get);
        tokens.remember("t", now.get() / 1000 + 3600, alice);
        now.addAndGet(59_999);
        assertSame(alice, tokens.find("t"));
        now.addAndGet(1);
        assertNull(tokens.find("t"));
    }

    @Test
    void anExpiredTokenIsNotKeptAndOnlyTheSameTokenMatches() {
        VerifiedTokens tokens = new VerifiedTokens(10, Duration.ofMinutes(1), now::get);
        tokens.remember("old", now.get() / 1000, alice);
        assertNull(tokens.find("old"));
        tokens.remember("t", now.get() / 1000 + 30, alice);
        assertNull(tokens.find("t "));
        assertNull(tokens.find("T"));
    }

    @Test
    void boundedAndOffAtZero() {
        VerifiedTokens tokens = new VerifiedTokens(3, Duration.ofMinutes(1), now::get);
        for (int i = 0; i < 10; i++) {
            tokens.remember("t" + i, now.get() / 1000 + 30, alice);
            assertTrue(tokens.size() <= 3);
        }
        assertSame(alice, tokens.find("t9"));
        VerifiedTokens off = new VerifiedTokens(0, Duration.ofMinutes(1), now::get);
        off.remember("t", now.get() / 1000 + 30, alice);
        assertEquals(0, off.size());
        assertNull(off.find("t"));
    }
}
