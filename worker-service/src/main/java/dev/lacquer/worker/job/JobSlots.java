package dev.lacquer.worker.job;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A non-blocking counting semaphore: {@link #acquire()} answers a stage that completes when a slot is free. The
 * request consumer returns that stage to the messaging layer, which takes no further record until it completes:
 * with every slot taken, intake stops and the Kafka connector pauses its partitions once its small buffer is full.
 */
final class JobSlots {

    private static final CompletableFuture<Void> FREE = CompletableFuture.completedFuture(null);

    private final int capacity;
    private final Deque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    private int used;

    JobSlots(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
    }

    synchronized CompletionStage<Void> acquire() {
        if (used < capacity) {
            used++;
            return FREE;
        }
        CompletableFuture<Void> turn = new CompletableFuture<>();
        waiting.add(turn);
        return turn;
    }

    void release() {
        CompletableFuture<Void> next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                used--;
                return;
            }
        }
        // The slot passes straight to the waiter; completed outside the lock since it runs the waiter's code.
        next.complete(null);
    }

    synchronized int used() {
        return used;
    }

    int capacity() {
        return capacity;
    }
}
