package dev.lacquer.api.messaging;

import io.quarkus.logging.Log;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * One relay pass, with no database transaction open while Kafka answers: claim a batch (short transaction), send
 * every record at once and wait for the acks together (at most half the lease), then delete the acknowledged rows and release the refused ones (second short transaction).
 * A crash between the send and the delete leaves the rows claimed: they are sent again after the lease, and the
 * consumers deduplicate on the event id. Records still unanswered when the wait ends (the broker is away and the
 * producer holds them) stay claimed and are deleted when the producer reports them acknowledged; one still held by
 * the producer when its lease runs out (an outage longer than the lease) may be sent again by another relay.
 */
public class OutboxPublisher {

    private final OutboxClaims claims;
    private final OutboxSender sender;
    private final Duration lease;
    private final Duration ackTimeout;

    public OutboxPublisher(OutboxClaims claims, OutboxSender sender, Duration lease) {
        this.claims = claims;
        this.sender = sender;
        this.lease = lease;
        this.ackTimeout = lease.dividedBy(2);
    }

    public OutboxBatch publish(int limit) {
        List<OutboxRecord> claimed = claims.claim(limit, lease);
        if (claimed.isEmpty()) {
            return OutboxBatch.EMPTY;
        }
        List<CompletableFuture<Void>> acks = new ArrayList<>(claimed.size());
        for (OutboxRecord record : claimed) {
            acks.add(sender.answerOf(record));
        }
        OutboxSender.awaitAnswers(acks.toArray(CompletableFuture[]::new), ackTimeout.toMillis());
        List<OutboxRecord> published = new ArrayList<>(claimed.size());
        List<OutboxRecord> failed = new ArrayList<>();
        List<OutboxRecord> unanswered = new ArrayList<>();
        List<CompletableFuture<Void>> unansweredAcks = new ArrayList<>();
        String firstFailure = null;
        for (int i = 0; i < claimed.size(); i++) {
            CompletableFuture<Void> ack = acks.get(i);
            switch (ack.state()) {
                case SUCCESS -> published.add(claimed.get(i));
                case FAILED, CANCELLED -> {
                    failed.add(claimed.get(i));
                    if (firstFailure == null) {
                        firstFailure = describe(ack);
                    }
                }
                case RUNNING -> {
                    // Still unanswered: it may yet reach the broker, so it stays claimed.
                    unanswered.add(claimed.get(i));
                    unansweredAcks.add(ack);
                }
            }
        }
        claims.settle(published, failed);
        deleteWhenAcknowledgedLate(unanswered, unansweredAcks);
        int inDoubt = unanswered.size();
        if (inDoubt > 0 && firstFailure == null) {
            firstFailure = "no acknowledgement within " + ackTimeout.toSeconds() + " s";
        }
        return new OutboxBatch(claimed.size(), published.size(), failed.size(), inDoubt, firstFailure);
    }

    /**
     * Records the producer still holds (the broker was unreachable) are answered once it is back: those acknowledged
     * then are deleted at once instead of being sent again after their lease; those refused wait for their lease.
     */
    private void deleteWhenAcknowledgedLate(List<OutboxRecord> unanswered, List<CompletableFuture<Void>> acks) {
        if (unanswered.isEmpty()) {
            return;
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).whenComplete((ignored, failure) -> {
            List<OutboxRecord> acknowledged = new ArrayList<>();
            for (int i = 0; i < unanswered.size(); i++) {
                if (acks.get(i).state() == Future.State.SUCCESS) {
                    acknowledged.add(unanswered.get(i));
                }
            }
            // Off the producer's thread: settling is a database transaction.
            Thread.ofVirtual().name("outbox-late-acks").start(() -> {
                try {
                    claims.settle(acknowledged, List.of());
                } catch (RuntimeException e) {
                    Log.warnf("outbox relay: %d late acknowledgements not recorded, sent again after the lease: %s",
                            acknowledged.size(), e.getMessage());
                }
            });
        });
    }

    private static String describe(Future<Void> failedAck) {
        if (failedAck.isCancelled()) {
            return "send canceled";
        }
        Throwable cause = failedAck.exceptionNow();
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
