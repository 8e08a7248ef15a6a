package dev.lacquer.api.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lacquer.api.job.repository.GenerationJob;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;

/**
 * Records job changes in the business transaction that makes them. The user's sequence row
 * stays locked until that transaction commits, so each user's sequence is gapless and in commit
 * order.
 */
@ApplicationScoped
public class JobChanges {

    private final EntityManager em;
    private final ObjectMapper json;

    JobChanges(EntityManager em, ObjectMapper json) {
        this.em = em;
        this.json = json;
    }

    /** Changes older than this are deleted by the sweep; a client away longer reloads its state instead. */
    public static final java.time.Duration RETENTION = java.time.Duration.ofHours(24);

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(GenerationJob job, String change) {
        long seq = ((Number) em.createNativeQuery("""
                        insert into live_sequences (user_id, last_seq) values (?1, 1)
                        on conflict (user_id) do update set last_seq = live_sequences.last_seq + 1
                        returning last_seq""")
                .setParameter(1, job.userId).getSingleResult()).longValue();
        em.createNativeQuery("""
                        insert into job_changes (user_id, user_seq, job_id, change, payload, created_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6)""")
                .setParameter(1, job.userId).setParameter(2, seq).setParameter(3, job.id).setParameter(4, change)
                .setParameter(5, write(JobChange.of(job, change))).setParameter(6, Instant.now())
                .executeUpdate();
    }

    /** Locks the existing sequences of these users, in user id order (see JobEventService#applyAll). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lockSequences(java.util.Collection<String> userIds) {
        if (!userIds.isEmpty()) {
            em.createNativeQuery("select user_id from live_sequences where user_id in (?1) order by user_id for update")
                    .setParameter(1, userIds).getResultList();
        }
    }

    @Transactional
    public int purgeOld() {
        return em.createNativeQuery("delete from job_changes where created_at < ?1")
                .setParameter(1, Instant.now().minus(RETENTION)).executeUpdate();
    }

    private String write(JobChange change) {
        try {
            return json.writeValueAsString(change);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
