package dev.lacquer.api.job.repository;

import dev.lacquer.model.event.GenerationCompleted;
import dev.lacquer.api.db.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

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

    private final DataSource dataSource;
    private final Sql sql;

    LockedJobs(DataSource dataSource, Sql sql) {
        this.dataSource = dataSource;
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
        try (Connection c = dataSource.getConnection();
             PreparedStatement state = c.prepareStatement(UPDATE_STATE);
             PreparedStatement results = c.prepareStatement(UPDATE_STATE_AND_RESULTS)) {
            int states = 0;
            int withResults = 0;
            for (Row row : locked.rows.values()) {
                GenerationJob job = row.job();
                Snapshot now = Snapshot.of(job);
                if (now.equals(row.read())) {
                    continue;
                }
                if (now.results().equals(row.read().results())) {
                    int next = bindState(state, job);
                    state.setObject(next, job.id);
                    state.addBatch();
                    states++;
                } else {
                    int next = bindState(results, job);
                    results.setString(next++, JobRows.json(job.resultImageKeys));
                    results.setString(next++, JobRows.json(job.thumbnailKeys));
                    results.setString(next++, job.model);
                    results.setString(next++, job.promptTemplateVersion);
                    results.setString(next++, job.providerRequestId);
                    results.setString(next++, JobRows.json(job.usage));
                    results.setObject(next, job.id);
                    results.addBatch();
                    withResults++;
                }
            }
            if (states > 0) {
                state.executeBatch();
            }
            if (withResults > 0) {
                results.executeBatch();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("updating generation_jobs failed", e);
        }
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

    private static int bindState(PreparedStatement s, GenerationJob job) throws SQLException {
        int i = 1;
        s.setString(i++, job.status.wire());
        s.setInt(i++, job.progress);
        s.setInt(i++, job.attempt);
        s.setString(i++, job.errorCode);
        s.setString(i++, job.errorMessage);
        s.setBoolean(i++, job.autoSaved);
        setInstant(s, i++, job.chargedAt);
        setInstant(s, i++, job.leaseExpiresAt);
        setInstant(s, i++, job.startedAt);
        setInstant(s, i++, job.completedAt);
        setInstant(s, i++, job.updatedAt);
        return i;
    }

    private static void setInstant(PreparedStatement s, int index, Instant value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            s.setObject(index, value.atOffset(java.time.ZoneOffset.UTC));
        }
    }
}
