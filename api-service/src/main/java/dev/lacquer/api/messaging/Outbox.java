package dev.lacquer.api.messaging;

import dev.lacquer.api.config.LacquerConfig;
import dev.lacquer.api.db.Sql;
import dev.lacquer.api.observability.TraceContexts;
import dev.lacquer.model.Topics;
import dev.lacquer.model.event.EventCodec;
import dev.lacquer.model.event.GenerationEvent;
import dev.lacquer.model.event.GenerationRequested;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;

/**
 * Writes requests for the worker into the outbox table, inside the caller's business
 * transaction: the job change and the message announcing it commit together or not at all.
 * After the commit the relay is woken, so publication normally follows within milliseconds; a new
 * job's request is claimed for this replica as it is written and sent at the commit itself.
 */
@ApplicationScoped
public class Outbox {

    private final Sql sql;
    private final TransactionSynchronizationRegistry transactions;
    private final OutboxRelay relay;
    private final Duration claimLease;

    Outbox(Sql sql, TransactionSynchronizationRegistry transactions, OutboxRelay relay, LacquerConfig config) {
        this.sql = sql;
        this.transactions = transactions;
        this.relay = relay;
        this.claimLease = config.outbox().claimLease();
    }

    /** A message for the worker, sent by the relay's next pass after the commit. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void enqueueRequest(GenerationEvent event) {
        insert(event, null);
        afterCommit(relay::wakeUp);
    }

    /**
     * The request of a job created in this transaction. Nothing of the job can be in the outbox before it, so it needs
     * no claim pass to keep the job's messages in order: the row is written claimed for this replica (for the
     * relay's lease) and sent as soon as the transaction commits. While the broker is in trouble it is written
     * unclaimed instead, for the relay's passes.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void enqueueNewJobRequest(GenerationRequested request) {
        if (!relay.sendsAfterCommit()) {
            enqueueRequest(request);
            return;
        }
        OutboxRecord record = insert(request, claimLease);
        afterCommit(() -> relay.sendAfterCommit(record));
    }

    /** Writes the event's row, claimed for {@code claimFor} on the database's clock, or unclaimed when it is null. */
    private OutboxRecord insert(GenerationEvent event, Duration claimFor) {
        String payload = EventCodec.encode(event);
        String traceParent = currentTraceParent();
        String key = event.jobId().toString();
        long id = sql.queryLong("""
                        insert into outbox (event_id, topic, message_key, event_type, payload, created_at, trace_parent,
                                            claimed_until)
                        values (?, ?, ?, ?, ?, ?, ?, now() + make_interval(secs => ?))
                        returning id""",
                event.eventId(), Topics.REQUESTS, key, event.type(), payload, Instant.now(), traceParent,
                claimFor == null ? null : claimFor.toMillis() / 1000.0);
        return new OutboxRecord(id, event.eventId(), Topics.REQUESTS, key, event.type(), payload, traceParent);
    }

    private void afterCommit(Runnable action) {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    action.run();
                }
            }
        });
    }

    private static String currentTraceParent() {
        String traceParent = TraceContexts.currentTraceparent();
        return traceParent == null || traceParent.isEmpty() ? null : traceParent;
    }
}
