package dev.lacquer.api.messaging;

import dev.lacquer.api.config.LacquerConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes outbox rows to Kafka and deletes them once the broker acknowledged them ({@link OutboxPublisher}): rows
 * are claimed for a lease, so any number of API replicas relay at once and each row is sent by one replica at a time
 * (a replica that dies after sending leaves a duplicate; consumers deduplicate on the event id). Woken after every
 * commit that wrote an unclaimed row ({@link Outbox}), and polls as a safety net. A new job's request is claimed when
 * it is written and sent right after its commit ({@link AfterCommitSends}), without a pass. After a pass that did not
 * get everything acknowledged, or a refused send after a commit (the broker is unreachable), every row goes through
 * passes, one row at a time, until one is acknowledged, so an absent broker holds one record in the producer, not a
 * batch.
 */
@ApplicationScoped
public class OutboxRelay {

    private final OutboxPublisher publisher;
    private final AfterCommitSends afterCommit;
    private final OutboxClaims claims;
    private final LacquerConfig.Outbox config;
    private final Semaphore wakeUps = new Semaphore(0);
    private final AtomicLong backlog = new AtomicLong();
    private volatile boolean brokerTrouble;
    private volatile boolean running;

    OutboxRelay(OutboxClaims claims, KafkaOutboxSender sender, LacquerConfig config, MeterRegistry metrics) {
        this.config = config.outbox();
        this.claims = claims;
        this.publisher = new OutboxPublisher(claims, sender, this.config.claimLease());
        this.afterCommit = new AfterCommitSends(claims, sender, this::sendRefused);
        Gauge.builder("lacquer.outbox.backlog", backlog, AtomicLong::get)
                .description("Outbox rows not yet published, as last seen by this replica").register(metrics);
    }

    void start(@Observes StartupEvent ignored) {
        running = true;
        Thread.ofVirtual().name("outbox-relay").start(this::run);
    }

    void stop(@Observes ShutdownEvent ignored) {
        running = false;
        wakeUp();
        afterCommit.stop();
    }

    /** A committed transaction wrote an unclaimed row. */
    public void wakeUp() {
        wakeUps.release();
    }

    /** Whether rows may be claimed at write and sent after their commit: not while the broker is in trouble. */
    boolean sendsAfterCommit() {
        return !brokerTrouble;
    }

    /** Sends a committed row that was claimed for this replica when it was written. */
    void sendAfterCommit(OutboxRecord record) {
        afterCommit.send(record);
    }

    /** The producer refused a record sent after its commit (it was released): passes take over until an ack. */
    void sendRefused() {
        brokerTrouble = true;
        wakeUp();
    }

    private void run() {
        while (running) {
            try {
                wakeUps.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                wakeUps.drainPermits();
                if (running) {
                    drain();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                Log.warnf("outbox relay: pass failed, will retry: %s", e.getMessage());
                sleepQuietly();
            }
        }
    }

    /**
     * Publishes until nothing this replica may claim is left, or a record was not acknowledged; answers how many rows
     * were published.
     */
    public int drain() {
        int total = 0;
        while (true) {
            int limit = brokerTrouble ? 1 : config.batchSize();
            OutboxBatch batch = publisher.publish(limit);
            total += batch.published();
            if (batch.claimed() > 0) {
                brokerTrouble = !batch.allPublished();
            }
            if (!batch.allPublished()) {
                Log.warnf("outbox relay: %d of %d records not acknowledged (%d refused and released, %d still "
                                + "unanswered): %s",
                        batch.claimed() - batch.published(), batch.claimed(), batch.failed(), batch.inDoubt(),
                        batch.firstFailure());
                backlog.set(claims.count());
                return total;
            }
            if (batch.claimed() < limit) {
                backlog.set(0);
                if (total > 0) {
                    Log.debugf("outbox relay: published %d", total);
                }
                return total;
            }
        }
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(config.pollInterval().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
