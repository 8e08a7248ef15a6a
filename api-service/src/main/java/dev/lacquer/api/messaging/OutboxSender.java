package dev.lacquer.api.messaging;

import java.util.concurrent.CompletionStage;

/** Hands one outbox record to Kafka; the stage completes when the broker acknowledged it, or fails. */
@FunctionalInterface
public interface OutboxSender {

    CompletionStage<Void> send(OutboxRecord record);
}
