package dev.lacquer.benchmark;

import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Requests sent on a schedule, not after the previous answer: request i is due at start + i / rate. Latency is
 * measured from the due time, so a slow server cannot hide its queueing (no coordinated omission). At most
 * {@code maxOutstanding} requests are in flight; beyond that the schedule waits, and the wait counts in the
 * latency of the requests that were late.
 */
public final class OpenLoop {

    /** Sends one request due at {@code dueNanos}; must not block, and must call {@code done.run()} when answered. */
    @FunctionalInterface
    public interface Request {
        void send(long dueNanos, long index, Runnable done);
    }

    /** What a run did: requests issued, over how many seconds of schedule, and how many started over 5 ms late. */
    public record Outcome(long issued, double seconds, long lateStarts) {
        public double rate() {
            return issued / seconds;
        }
    }

    private OpenLoop() {
    }

    public static Outcome run(double rate, double seconds, int maxOutstanding, BooleanSupplier stop, Request request)
            throws InterruptedException {
        Semaphore outstanding = new Semaphore(maxOutstanding);
        long start = System.nanoTime();
        long count = (long) Math.floor(rate * seconds);
        double interval = 1e9 / rate;
        long late = 0;
        long issued = 0;
        for (long i = 0; i < count && !stop.getAsBoolean(); i++) {
            long due = start + (long) (i * interval);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            if (System.nanoTime() - due > 5_000_000L) {
                late++;
            }
            outstanding.acquire();
            request.send(due, i, outstanding::release);
            issued++;
        }
        double issuing = (System.nanoTime() - start) / 1e9;
        // Let the last answers arrive (bounded).
        long drainUntil = System.nanoTime() + 30_000_000_000L;
        while (outstanding.availablePermits() < maxOutstanding && System.nanoTime() < drainUntil) {
            Thread.sleep(5);
        }
        return new Outcome(issued, issuing, late);
    }
}
