package dev.lacquer.api.messaging;

import dev.lacquer.model.event.GenerationEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;

/**
 * Insert-first duplicate detection: the event id is inserted before the event is applied, in
 * the same transaction. A key conflict means the event was already applied (or is being applied
 * by another replica, whose commit we then wait for), so it is skipped.
 */
@ApplicationScoped
public class ProcessedEvents {

    private final EntityManager em;

    ProcessedEvents(EntityManager em) {
        this.em = em;
    }

    /**
     * Forgets event ids older than {@code age}: Kafka's retention (7 days) bounds how late a
     * duplicate can arrive, so ids older than that can never be needed again.
     */
    @Transactional
    public int purgeOlderThan(java.time.Duration age) {
        return em.createNativeQuery("delete from processed_events where processed_at < ?1")
                .setParameter(1, Instant.now().minus(age)).executeUpdate();
    }

    /** True the first time an event id is seen; false for every duplicate. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean firstSighting(GenerationEvent event) {
        return em.createNativeQuery("""
                        insert into processed_events (event_id, job_id, event_type, processed_at)
                        values (?1, ?2, ?3, ?4) on conflict (event_id) do nothing""")
                .setParameter(1, event.eventId())
                .setParameter(2, event.jobId())
                .setParameter(3, event.type())
                .setParameter(4, Instant.now())
                .executeUpdate() == 1;
    }
}
