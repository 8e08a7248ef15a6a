package dev.lacquer.api.job.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lacquer.model.DesignSettings;
import dev.lacquer.model.event.GenerationCompleted;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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

    private static final String LOCK = """
            select id, user_id, status, prompt, design_settings, image_count, cost, original_image_key,
                   original_content_type, result_image_keys, thumbnail_keys, model, prompt_template_version,
                   provider_request_id, progress, attempt, error_code, error_message, auto_saved, seen_at, charged_at,
                   cancel_requested_at, lease_expires_at, created_at, started_at, completed_at, updated_at
              from generation_jobs where id = any(?) order by id for update""";

    private static final String STATE = """
            status = ?, progress = ?, attempt = ?, error_code = ?, error_message = ?, auto_saved = ?, charged_at = ?,
            lease_expires_at = ?, started_at = ?, completed_at = ?, updated_at = ?""";

    private static final String UPDATE_STATE = "update generation_jobs set " + STATE + " where id = ?";

    private static final String UPDATE_STATE_AND_RESULTS = "update generation_jobs set " + STATE + """
            , result_image_keys = cast(? as jsonb), thumbnail_keys = cast(? as jsonb), model = ?,
              prompt_template_version = ?, provider_request_id = ?, usage = cast(? as jsonb) where id = ?""";

    private static final TypeReference<List<String>> KEYS = new TypeReference<>() {
    };

    private final DataSource dataSource;
    private final ObjectMapper json;

    LockedJobs(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** The existing jobs among these ids, locked for update in id order, by id. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Locked lock(Collection<UUID> jobIds) {
        Map<UUID, Row> rows = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(LOCK)) {
            s.setArray(1, c.createArrayOf("uuid", jobIds.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    GenerationJob job = job(rs);
                    rows.put(job.id, new Row(job, Snapshot.of(job)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("locking generation_jobs failed", e);
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
                    results.setString(next++, JobColumnsJson.write(job.resultImageKeys));
                    results.setString(next++, JobColumnsJson.write(job.thumbnailKeys));
                    results.setString(next++, job.model);
                    results.setString(next++, job.promptTemplateVersion);
                    results.setString(next++, job.providerRequestId);
                    results.setString(next++, JobColumnsJson.write(job.usage));
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

    private GenerationJob job(ResultSet rs) throws SQLException {
        GenerationJob job = new GenerationJob();
        job.id = rs.getObject("id", UUID.class);
        job.userId = rs.getString("user_id");
        job.status = JobStatus.valueOf(rs.getString("status").toUpperCase(Locale.ROOT));
        job.prompt = rs.getString("prompt");
        job.designSettings = read(rs.getString("design_settings"), DesignSettings.class);
        job.imageCount = rs.getInt("image_count");
        job.cost = rs.getInt("cost");
        job.originalImageKey = rs.getString("original_image_key");
        job.originalContentType = rs.getString("original_content_type");
        job.resultImageKeys = readKeys(rs.getString("result_image_keys"));
        job.thumbnailKeys = readKeys(rs.getString("thumbnail_keys"));
        job.model = rs.getString("model");
        job.promptTemplateVersion = rs.getString("prompt_template_version");
        job.providerRequestId = rs.getString("provider_request_id");
        job.progress = rs.getInt("progress");
        job.attempt = rs.getInt("attempt");
        job.errorCode = rs.getString("error_code");
        job.errorMessage = rs.getString("error_message");
        job.autoSaved = rs.getBoolean("auto_saved");
        job.seenAt = instant(rs, "seen_at");
        job.chargedAt = instant(rs, "charged_at");
        job.cancelRequestedAt = instant(rs, "cancel_requested_at");
        job.leaseExpiresAt = instant(rs, "lease_expires_at");
        job.createdAt = instant(rs, "created_at");
        job.startedAt = instant(rs, "started_at");
        job.completedAt = instant(rs, "completed_at");
        job.updatedAt = instant(rs, "updated_at");
        return job;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private <T> T read(String value, Class<T> type) {
        if (value == null) {
            return null;
        }
        try {
            return json.readValue(value, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable " + type.getSimpleName() + " in generation_jobs", e);
        }
    }

    private List<String> readKeys(String value) {
        if (value == null) {
            return null;
        }
        try {
            return json.readValue(value, KEYS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable image keys in generation_jobs", e);
        }
    }

}
