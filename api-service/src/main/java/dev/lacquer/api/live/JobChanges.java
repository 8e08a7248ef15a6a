package dev.lacquer.api.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lacquer.api.db.Sql;
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
    private final Sql sql;
    private final ObjectMapper json;

    JobChanges(EntityManager em, Sql sql, ObjectMapper json) {
        this.em = em;
        this.sql = sql;
        this.json = json;
    }

    /** Changes older than this are deleted by the sweep; a client away longer reloads its state instead. */
    public static final java.time.Duration RETENTION = java.time.Duration.ofHours(24);

    /** Numbers the change with the user's next sequence value and stores it: one statement, one round trip. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(GenerationJob job, String change) {
        sql.update("""
                        with next as (
                            insert into live_sequences (user_id, last_seq) values (?, 1)
                            on conflict (user_id) do update set last_seq = live_sequences.last_seq + 1
                            returning last_seq)
                        insert into job_changes (user_id, user_seq, job_id, change, payload, created_at)
                        select ?, next.last_seq, ?, ?, ?, ? from next""",
                job.userId, job.userId, job.id, change, write(JobChange.of(job, change)), Instant.now());
    }

    /** Locks the existing sequences of these users, in user id order (see JobEventService#applyAll). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lockSequences(java.util.Collection<String> userIds) {
        if (!userIds.isEmpty()) {
            sql.query("select user_id from live_sequences where user_id = any(?) order by user_id for update",
                    rs -> rs.getString(1), (Object) userIds.toArray(String[]::new));
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
