package dev.lacquer.api.messaging;

import dev.lacquer.api.db.Sql;
import dev.lacquer.api.observability.TraceContexts;
import dev.lacquer.model.Topics;
import dev.lacquer.model.event.EventCodec;
import dev.lacquer.model.event.GenerationEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Instant;

/**
 * Writes requests for the worker into the outbox table, inside the caller's business
 * transaction: the job change and the message announcing it commit together or not at all.
 * After the commit the relay is woken, so publication normally follows within milliseconds.
 */
@ApplicationScoped
public class Outbox {

    private final Sql sql;
    private final TransactionSynchronizationRegistry transactions;
    private final OutboxRelay relay;

    Outbox(Sql sql, TransactionSynchronizationRegistry transactions, OutboxRelay relay) {
        this.sql = sql;
        this.transactions = transactions;
        this.relay = relay;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void enqueueRequest(GenerationEvent event) {
        String traceParent = TraceContexts.currentTraceparent();
        sql.update("""
                        insert into outbox (event_id, topic, message_key, event_type, payload, created_at, trace_parent)
                        values (?, ?, ?, ?, ?, ?, ?)""",
                event.eventId(), Topics.REQUESTS, event.jobId().toString(), event.type(), EventCodec.encode(event),
                Instant.now(), traceParent == null || traceParent.isEmpty() ? null : traceParent);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    relay.wakeUp();
                }
            }
        });
    }
}
