package dev.lacquer.api.job.repository;

import dev.lacquer.model.event.GenerationCompleted;
import dev.lacquer.api.db.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The job rows the event consumer changes, in plain SQL and without a persistence context: locked and read in one
 * statement (in id order, like every other job lock), changed in memory as detached {@link GenerationJob}s, and
 * written back with one batched UPDATE for the jobs whose state changed. Joins the caller's transaction: the pool hands
 * out the transaction's own connection, the one Hibernate's native statements of the same transaction use.
 */
@ApplicationScoped
public class LockedJobs {

    private static final String LOCK = "select " + JobRows.COLUMNS
            + " from generation_jobs where id = any(?) order by id for update";

    private static final String STATE = """
            status = ?, progress = ?, attempt = ?, error_code = ?, error_message = ?, auto_saved = ?, charged_at = ?,
            lease_expires_at = ?, started_at = ?, completed_at = ?, updated_at = ?""";

    private static final String UPDATE_STATE = "update generation_jobs set " + STATE + " where id = ?";

    private static final String UPDATE_STATE_AND_RESULTS = "update generation_jobs set " + STATE + """
            , result_image_keys = cast(? as jsonb), thumbnail_keys = cast(? as jsonb), model = ?,
              prompt_template_version = ?, provider_request_id = ?, usage = cast(? as jsonb) where id = ?""";

    private final Sql sql;

    LockedJobs(Sql sql) {
        this.sql = sql;
    }

    /** The existing jobs among these ids, locked for update in id order, by id. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Locked lock(Collection<UUID> jobIds) {
        Map<UUID, Row> rows = new LinkedHashMap<>();
        for (GenerationJob job : sql.query(LOCK, JobRows::read, (Object) jobIds.toArray(UUID[]::new))) {
            rows.put(job.id, new Row(job, Snapshot.of(job)));
        }
        return new Locked(rows);
    }

    /** Writes back the locked jobs that changed since they were read; one batched statement per shape. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void writeChanged(Locked locked) {
        List<Object[]> states = new ArrayList<>();
        List<Object[]> statesAndResults = new ArrayList<>();
        for (Row row : locked.rows.values()) {
            GenerationJob job = row.job();
            Snapshot now = Snapshot.of(job);
            if (now.equals(row.read())) {
                continue;
            }
            if (now.results().equals(row.read().results())) {
                states.add(state(job, job.id));
            } else {
                statesAndResults.add(state(job, JobRows.json(job.resultImageKeys), JobRows.json(job.thumbnailKeys),
                        job.model, job.promptTemplateVersion, job.providerRequestId, JobRows.json(job.usage), job.id));
            }
        }
        sql.batch(UPDATE_STATE, states);
        sql.batch(UPDATE_STATE_AND_RESULTS, statesAndResults);
    }

    /** The parameters of {@link #STATE}, in its order, then {@code more}. */
    private static Object[] state(GenerationJob job, Object... more) {
        Object[] state = {job.status.wire(), job.progress, job.attempt, job.errorCode, job.errorMessage, job.autoSaved,
                job.chargedAt, job.leaseExpiresAt, job.startedAt, job.completedAt, job.updatedAt};
        Object[] parameters = Arrays.copyOf(state, state.length + more.length);
        System.arraycopy(more, 0, parameters, state.length, more.length);
        return parameters;
    }

    /** The jobs locked by one {@link #lock} call, changed in place by the caller. */
    public static final class Locked {

        private final Map<UUID, Row> rows;

        private Locked(Map<UUID, Row> rows) {
            this.rows = rows;
        }

        /** The locked job with this id, or null when there is no such job. */
        public GenerationJob get(UUID jobId) {
            Row row = rows.get(jobId);
            return row == null ? null : row.job();
        }
    }

    private record Row(GenerationJob job, Snapshot read) {
    }

    /** The columns the event path may change, to tell which jobs to write back and how. */
    private record Snapshot(JobStatus status, int progress, int attempt, String errorCode, String errorMessage,
                            boolean autoSaved, Instant chargedAt, Instant leaseExpiresAt, Instant startedAt,
                            Instant completedAt, Instant updatedAt, Results results) {

        static Snapshot of(GenerationJob j) {
            return new Snapshot(j.status, j.progress, j.attempt, j.errorCode, j.errorMessage, j.autoSaved, j.chargedAt,
                    j.leaseExpiresAt, j.startedAt, j.completedAt, j.updatedAt,
                    new Results(j.resultImageKeys, j.thumbnailKeys, j.model, j.promptTemplateVersion,
                            j.providerRequestId, j.usage));
        }
    }

    private record Results(List<String> resultImageKeys, List<String> thumbnailKeys, String model,
                           String promptTemplateVersion, String providerRequestId, GenerationCompleted.Usage usage) {
    }
}
