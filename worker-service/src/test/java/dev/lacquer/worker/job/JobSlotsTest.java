package dev.lacquer.worker.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class JobSlotsTest {

    @Test
    void waitsWhenFullAndPassesAFreedSlotOn() {
        JobSlots slots = new JobSlots(2);
        assertTrue(slots.acquire().toCompletableFuture().isDone());
        assertTrue(slots.acquire().toCompletableFuture().isDone());
        CompletionStage<Void> third = slots.acquire();
        assertFalse(third.toCompletableFuture().isDone(), "no third slot");
        assertEquals(2, slots.used());

        slots.release();
        assertTrue(third.toCompletableFuture().isDone(), "the freed slot went to the waiter");
        assertEquals(2, slots.used());

        slots.release();
        slots.release();
        assertEquals(0, slots.used());
    }
}
