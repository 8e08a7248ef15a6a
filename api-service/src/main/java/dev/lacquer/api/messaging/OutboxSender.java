package dev.lacquer.api.messaging;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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
}
