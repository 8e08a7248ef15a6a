package dev.lacquer.api.messaging;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Hands one outbox record to Kafka; the stage completes when the broker acknowledged it, or fails. */
@FunctionalInterface
public interface OutboxSender {

    CompletionStage<Void> send(OutboxRecord record);

    /** Sends the record; a send that throws is a refused one, so every record has an answer to wait for. */
    default CompletableFuture<Void> answerOf(OutboxRecord record) {
        try {
            return send(record).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Waits until every answer came or {@code millis} passed, whichever is first; failures are not thrown here, the
     * caller reads each record's own answer afterwards (or settles it when it comes).
     */
    static void awaitAnswers(CompletableFuture<?>[] answers, long millis) {
        try {
            CompletableFuture.allOf(answers).get(millis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // each answer is read on its own
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
