package dev.lacquer.api.messaging;

import dev.lacquer.api.observability.TraceContexts;
import dev.lacquer.model.Topics;
import dev.lacquer.model.event.EventCodec;
import dev.lacquer.model.event.GenerationEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Objects;

/**
 * Writes requests for the worker into the outbox table, inside the caller's business
 * transaction: the job change and the message announcing it commit together or not at all.
 * After the commit the relay is woken, so publication normally follows within milliseconds.
 */
@ApplicationScoped
public class Outbox {

    private final EntityManager em;
    private final TransactionSynchronizationRegistry transactions;
    private final OutboxRelay relay;

    Outbox(EntityManager em, TransactionSynchronizationRegistry transactions, OutboxRelay relay) {
        this.em = em;
        this.transactions = transactions;
        this.relay = relay;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void enqueueRequest(GenerationEvent event) {
        em.createNativeQuery("""
                        insert into outbox (event_id, topic, message_key, event_type, payload, created_at, trace_parent)
                        values (?1, ?2, ?3, ?4, ?5, ?6, nullif(?7, ''))""")
                .setParameter(1, event.eventId())
                .setParameter(2, Topics.REQUESTS)
                .setParameter(3, event.jobId().toString())
                .setParameter(4, event.type())
                .setParameter(5, EventCodec.encode(event))
                .setParameter(6, Instant.now())
                .setParameter(7, Objects.requireNonNullElse(TraceContexts.currentTraceparent(), ""))
                .executeUpdate();
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
