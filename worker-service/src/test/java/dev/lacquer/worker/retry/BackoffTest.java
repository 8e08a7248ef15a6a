package dev.lacquer.worker.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void growsExponentiallyUpToTheCapWithJitterBelowIt() {
        Backoff backoff = new Backoff(10, Duration.ofMillis(100), Duration.ofSeconds(1), 0.5, Duration.ofMinutes(1));
        for (int i = 0; i < 100; i++) {
            long first = backoff.delay(1).toMillis();
            long third = backoff.delay(3).toMillis();
            long tenth = backoff.delay(10).toMillis();
            assertTrue(first >= 50 && first <= 100, "first " + first);
            assertTrue(third >= 200 && third <= 400, "third " + third);
            assertTrue(tenth >= 500 && tenth <= 1000, "capped " + tenth);
        }
    }

    @Test
    void withoutJitterTheDelayIsExact() {
        Backoff backoff = new Backoff(3, Duration.ofMillis(200), Duration.ofSeconds(5), 0, Duration.ofMinutes(1));
        assertEquals(200, backoff.delay(1).toMillis());
        assertEquals(400, backoff.delay(2).toMillis());
        assertEquals(800, backoff.delay(3).toMillis());
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(0, Duration.ofMillis(1), Duration.ofMillis(1), 0, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(1, Duration.ofMillis(1), Duration.ofMillis(1), 1.5, Duration.ofSeconds(1)));
    }
}
