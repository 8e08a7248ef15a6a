package dev.lacquer.worker.generation.openai;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Shared by every model call of this worker: once the provider answers 429 rate_limit_exceeded, no new call starts
 * until the time it named has passed. Without it each job would retry on its own schedule and keep the account over
 * its limit.
 */
final class RateLimitGate {

    private final Clock clock;
    private Instant closedUntil = Instant.MIN;

    RateLimitGate(Clock clock) {
        this.clock = clock;
    }

    /** Holds new calls back for {@code pause} from now (a later time already set stays). */
    synchronized void pause(Duration pause) {
        Instant until = clock.instant().plus(pause);
        if (until.isAfter(closedUntil)) {
            closedUntil = until;
        }
    }

    /** The time left until calls may start again; zero when open. */
    synchronized Duration remaining() {
        Duration left = Duration.between(clock.instant(), closedUntil);
        return left.isNegative() ? Duration.ZERO : left;
    }

    boolean open() {
        return remaining().isZero();
    }

    /**
     * Returns when calls may start; sleeps while the gate is closed (again, if another 429 came meanwhile).
     *
     * @return how long the caller waited
     * @throws InterruptedException when the job was canceled or the worker is stopping
     */
    Duration awaitOpen() throws InterruptedException {
        Duration waited = Duration.ZERO;
        for (Duration left = remaining(); !left.isZero(); left = remaining()) {
            Thread.sleep(left);
            waited = waited.plus(left);
        }
        return waited;
    }
}
