package dev.lacquer.worker.generation.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RateLimitGateTest {

    @Test
    void aPauseHoldsUntilItsEndAndALaterPauseWins() {
        MutableClock clock = new MutableClock();
        RateLimitGate gate = new RateLimitGate(clock);
        assertTrue(gate.open());
        gate.pause(Duration.ofSeconds(10));
        gate.pause(Duration.ofSeconds(3));
        assertEquals(Duration.ofSeconds(10), gate.remaining(), "a shorter pause does not shorten a longer one");
        clock.now = clock.now.plusSeconds(4);
        assertEquals(Duration.ofSeconds(6), gate.remaining());
        gate.pause(Duration.ofSeconds(8));
        assertEquals(Duration.ofSeconds(8), gate.remaining());
        clock.now = clock.now.plusSeconds(8);
        assertTrue(gate.open());
    }

    @Test
    void awaitOpenSleepsOutThePause() throws InterruptedException {
        RateLimitGate gate = new RateLimitGate(Clock.systemUTC());
        gate.pause(Duration.ofMillis(200));
        assertFalse(gate.open());
        long started = System.nanoTime();
        gate.awaitOpen();
        assertTrue(System.nanoTime() - started >= Duration.ofMillis(190).toNanos());
        assertTrue(gate.open());
    }

    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-11-29T12:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
