package dev.lacquer.api.job.repository;

import dev.lacquer.api.db.Sql;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class GenerationJobRepository implements PanacheRepositoryBase<GenerationJob, UUID> {

    /**
     * The counting queries of the create path, in plain JDBC. They read generation_jobs without Hibernate's flush:
     * callers run them before they create or change a job entity in the transaction.
     */
    private final Sql sql;

    GenerationJobRepository(Sql sql) {
        this.sql = sql;
    }

    /** The job if it belongs to the user; another user's job is indistinguishable from a missing one. */
    public Optional<GenerationJob> findOwned(UUID jobId, String userId) {
        return find("id = ?1 and userId = ?2", jobId, userId).firstResultOptional();
    }

    public Optional<GenerationJob> findOwnedForUpdate(UUID jobId, String userId) {
        return find("id = ?1 and userId = ?2", jobId, userId).withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional();
    }

    public Optional<GenerationJob> findForUpdate(UUID jobId) {
        return Optional.ofNullable(findById(jobId, LockModeType.PESSIMISTIC_WRITE));
    }

    /** Writes a new job's row in plain SQL; the job stays a detached object (nothing to flush later). */
    public void insertNew(GenerationJob job) {
        sql.update("""
                        insert into generation_jobs (id, user_id, status, prompt, design_settings, image_count, cost,
                                                     original_image_key, original_content_type, progress, attempt,
                                                     auto_saved, created_at, updated_at)
                        values (?, ?, ?, ?, cast(? as jsonb), ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                job.id, job.userId, job.status.wire(), job.prompt, JobRows.json(job.designSettings),
                job.imageCount, job.cost, job.originalImageKey, job.originalContentType, job.progress, job.attempt,
                job.autoSaved, job.createdAt, job.updatedAt);
    }

    public long activeCountOf(String userId) {
        return sql.queryLong("select count(*) from generation_jobs where user_id = ? and status in "
                + JobStatus.ACTIVE_SQL, userId);
    }

    public List<GenerationJob> historyOf(String userId, int page, int size) {
        return find("userId", Sort.by("createdAt").descending().and("id").descending(), userId)
                .page(Page.of(page, size)).list();
    }

    public long countOf(String userId) {
        return count("userId", userId);
    }

    /** Credits held by the user's accepted jobs that have not been charged yet. */
    public long reservedCredits(String userId) {
        return sql.queryLong("select coalesce(sum(cost), 0) from generation_jobs where user_id = ? and status in "
                + JobStatus.ACTIVE_SQL + " and charged_at is null", userId);
    }

    /** Processing jobs whose lease ran out, locked so only one sweeper handles each. */
    public List<GenerationJob> lockExpiredLeases(Instant now, int limit) {
        return getEntityManager().createNativeQuery(
                        "select * from generation_jobs where status = 'processing' and lease_expires_at < ?1"
                                + " order by lease_expires_at limit ?2 for update skip locked", GenerationJob.class)
                .setParameter(1, now).setParameter(2, limit).getResultList();
    }

    /** Pending jobs whose request was published but no worker started them in time. */
    public List<GenerationJob> lockUnstartedPending(Instant leaseBefore, int limit) {
        return getEntityManager().createNativeQuery(
                        "select * from generation_jobs where status = 'pending' and lease_expires_at < ?1"
                                + " order by lease_expires_at limit ?2 for update skip locked", GenerationJob.class)
                .setParameter(1, leaseBefore).setParameter(2, limit).getResultList();
    }

    public List<GenerationJob> lockCompletedUnsaved(int limit) {
        return getEntityManager().createNativeQuery(
                        "select * from generation_jobs where status = 'completed' and auto_saved = false"
                                + " order by completed_at limit ?1 for update skip locked", GenerationJob.class)
                .setParameter(1, limit).getResultList();
    }
}
