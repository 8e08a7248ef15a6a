package dev.lacquer.api.messaging;

import io.quarkus.logging.Log;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Sends outbox rows that were claimed when they were written ({@link Outbox#enqueueNewJobRequest}) as soon as their
 * transaction commits, with no claim transaction and no relay pass in between: a new job's request is on its way to
 * the worker while the API still answers 202. One virtual thread sends: everything committed since its last batch,
 * then it waits for that batch's answers (at most {@value #PACING_MILLIS} ms) before the next, so under load the
 * records travel in batches as large as the load makes them, and downstream (the worker's polls, its events, the
 * API's event transactions) works in batches too. A second thread settles the broker's answers in batches
 * (acknowledged rows deleted and their pick-up clock started, refused ones released for the relay's claim passes,
 * which then take over one row at a time). A row whose answer never comes (the replica dies) keeps its claim until
 * the lease runs out, and is then sent again by any relay, as a claimed row is.
 */
public class AfterCommitSends {

    private static final long IDLE_WAIT_MILLIS = 200;
    /** The longest a batch's answers hold the next batch back (a broker in trouble answers only after a timeout). */
    static final long PACING_MILLIS = 50;

    private final OutboxClaims claims;
    private final OutboxSender sender;
    private final Runnable onRefused;
    private final LinkedBlockingQueue<OutboxRecord> committed = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
    private volatile boolean running = true;
    private final Thread sending;
    private final Thread settler;

    /**
     * @param onRefused called after a batch in which the producer refused a record: the broker is in trouble, so
     *                  rows should go through the relay's claim passes until one is acknowledged
     */
    public AfterCommitSends(OutboxClaims claims, OutboxSender sender, Runnable onRefused) {
        this.claims = claims;
        this.sender = sender;
        this.onRefused = onRefused;
        this.sending = Thread.ofVirtual().name("outbox-after-commit")
                .start(() -> inBatchesUntilStopped(committed, this::sendBatch));
        this.settler = Thread.ofVirtual().name("outbox-settler").start(() -> {
            inBatchesUntilStopped(answers, this::settle);
            Answer left = answers.poll();
            if (left != null) {
                settle(batchOf(left, answers));
            }
        });
    }

    /** Sends a committed row this replica claimed at write; returns at once, the answer is settled later. */
    public void send(OutboxRecord record) {
        committed.add(record);
    }

    /** Sends a batch of committed rows, then waits (paced) for their answers. */
    private void sendBatch(List<OutboxRecord> batch) {
        CompletableFuture<?>[] acks = new CompletableFuture<?>[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            OutboxRecord record = batch.get(i);
            acks[i] = sender.answerOf(record).whenComplete((ignored, failure) -> answers.add(new Answer(record, failure)));
        }
        OutboxSender.awaitAnswers(acks, PACING_MILLIS); // paces the batches; each answer is settled on its own
    }

    /**
     * Settles what was answered so far and stops (within the idle wait: the settler is not interrupted, so a
     * settling transaction in progress completes); rows still unanswered keep their claim until the lease ends.
     */
    public void stop() {
        running = false;
        try {
            sending.join(TimeUnit.SECONDS.toMillis(5));
            settler.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Hands {@code handle} what is in the queue, as one batch, whenever something arrives, until stopped; a thread
     * interrupted stops too.
     */
    private <T> void inBatchesUntilStopped(LinkedBlockingQueue<T> queue, Consumer<List<T>> handle) {
        while (running && !Thread.currentThread().isInterrupted()) {
            try {
                T first = queue.poll(IDLE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                if (first != null) {
                    handle.accept(batchOf(first, queue));
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static <T> List<T> batchOf(T first, LinkedBlockingQueue<T> queue) {
        List<T> batch = new ArrayList<>();
        batch.add(first);
        queue.drainTo(batch);
        return batch;
    }

    /** Settles the batch in one transaction. */
    private void settle(List<Answer> batch) {
        List<OutboxRecord> published = new ArrayList<>(batch.size());
        List<OutboxRecord> refused = new ArrayList<>();
        Throwable firstFailure = null;
        for (Answer answer : batch) {
            if (answer.failure() == null) {
                published.add(answer.record());
            } else {
                refused.add(answer.record());
                firstFailure = firstFailure == null ? answer.failure() : firstFailure;
            }
        }
        try {
            claims.settle(published, refused);
        } catch (RuntimeException e) {
            Log.warnf("outbox: %d answers from the broker not recorded; those rows are sent again after their lease: %s",
                    batch.size(), e.getMessage());
        }
        if (firstFailure != null) {
            Log.warnf("outbox: %d records refused by the producer, released for the relay: %s", refused.size(),
                    firstFailure.toString());
            onRefused.run();
        }
    }

    private record Answer(OutboxRecord record, Throwable failure) {
    }
}
