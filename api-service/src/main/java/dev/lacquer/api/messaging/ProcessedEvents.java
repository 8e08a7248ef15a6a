package dev.lacquer.api.messaging;

import dev.lacquer.api.db.Sql;
import dev.lacquer.model.event.GenerationEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Insert-first duplicate detection: the event id is inserted before the event is applied, in
 * the same transaction. A key conflict means the event was already applied (or is being applied
 * by another replica, whose commit we then wait for), so it is skipped.
 */
@ApplicationScoped
public class ProcessedEvents {

    private static final String INSERT_ALL = """
            insert into processed_events (event_id, job_id, event_type, processed_at)
            select e.event_id, e.job_id, e.event_type, ?
              from unnest(?::uuid[], ?::uuid[], ?::varchar[]) as e(event_id, job_id, event_type)
            on conflict (event_id) do nothing
            returning event_id""";

    private final EntityManager em;
    private final Sql sql;

    ProcessedEvents(EntityManager em, Sql sql) {
        this.em = em;
        this.sql = sql;
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

    /**
     * The ids of the events seen here for the first time, in one statement. An id listed twice is inserted once:
     * the caller applies the first of them, as if each had been tried in turn.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Set<UUID> firstSightings(List<GenerationEvent> events) {
        UUID[] eventIds = new UUID[events.size()];
        UUID[] jobIds = new UUID[events.size()];
        String[] types = new String[events.size()];
        for (int i = 0; i < events.size(); i++) {
            eventIds[i] = events.get(i).eventId();
            jobIds[i] = events.get(i).jobId();
            types[i] = events.get(i).type();
        }
        return new HashSet<>(sql.query(INSERT_ALL, rs -> rs.getObject(1, UUID.class), Instant.now(), eventIds, jobIds,
                types));
    }
}
