package dev.lacquer.api.job.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lacquer.model.DesignSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The read path clients poll (job status, pending-generations, history), in plain SQL: one round trip per request,
 * no persistence context, and statuses written as literals so that every plan, custom or generic (pgjdbc prepares
 * a statement on the server after its fifth use and PostgreSQL may then keep a generic plan), can use the partial
 * indexes of V6 instead of reading a user's whole history. The jobs come back as detached {@link GenerationJob}s.
 */
@ApplicationScoped
public class JobReads {

    private static final String COLUMNS = """
            j.id, j.status, j.created_at, j.started_at, j.completed_at, j.progress, j.image_count, j.prompt,
            j.design_settings, j.original_image_key, j.result_image_keys, j.thumbnail_keys, j.error_code,
            j.error_message, j.auto_saved, j.seen_at, j.cancel_requested_at, j.attempt, j.model""";

    /**
     * A pending job's place in the queue: 1 + the pending jobs of every user queued before it (queue order is
     * creation time, then id). Counted on the partial index {@code generation_jobs_queue}; the plain bound on
     * {@code created_at} is what makes the planner use it (it underestimates the row comparison alone and scanned
     * another index with a filter instead).
     */
    private static final String QUEUE_POSITION = """
            case when j.status = 'pending' then
                (select count(*) from generation_jobs q
                  where q.status = 'pending' and q.created_at <= j.created_at
                    and (q.created_at, q.id) < (j.created_at, j.id)) + 1
            end as queue_position""";

    /** Active, or finished and not yet acknowledged: the predicate of the partial index generation_jobs_attention. */
    private static final String NEEDS_ATTENTION = "(j.status in " + JobStatus.ACTIVE_SQL
            + " or (j.status in ('completed', 'failed') and j.seen_at is null))";

    private static final String OWNED = "select " + COLUMNS + ", " + QUEUE_POSITION
            + " from generation_jobs j where j.id = ? and j.user_id = ?";

    private static final String ATTENTION = "select " + COLUMNS + ", " + QUEUE_POSITION
            + " from generation_jobs j where j.user_id = ? and " + NEEDS_ATTENTION;

    private static final String HISTORY_PAGE = "select " + COLUMNS
            + ", (select count(*) from generation_jobs c where c.user_id = ?) as total"
            + " from generation_jobs j where j.user_id = ? order by j.created_at desc, j.id desc limit ? offset ?";

    private static final String HISTORY_COUNT = "select count(*) from generation_jobs where user_id = ?";

    private static final String STARTED_SINCE = "select count(*) from generation_jobs where started_at > ?";

    private static final TypeReference<List<String>> KEYS = new TypeReference<>() {
    };

    private final DataSource dataSource;
    private final ObjectMapper json;

    JobReads(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** A job with its queue position (when pending), if it belongs to the user. */
    public Optional<QueuedJob> owned(UUID jobId, String userId) {
        List<QueuedJob> found = query(OWNED, s -> {
            s.setObject(1, jobId);
            s.setString(2, userId);
        }, this::queuedJob);
        return found.stream().findFirst();
    }

    /** The user's pending and processing jobs and finished (completed or failed) jobs not acknowledged yet. */
    public List<QueuedJob> needingAttention(String userId) {
        return query(ATTENTION, s -> s.setString(1, userId), this::queuedJob);
    }

    /** One page of the user's history, newest first, with the number of jobs in it. */
    public HistoryPage history(String userId, int page, int size) {
        List<long[]> total = new ArrayList<>(1);
        List<GenerationJob> jobs = query(HISTORY_PAGE, s -> {
            s.setString(1, userId); // the total, counted once (not correlated with each row)
            s.setString(2, userId);
            s.setInt(3, size);
            s.setLong(4, (long) page * size);
        }, rs -> {
            if (total.isEmpty()) {
                total.add(new long[] {rs.getLong("total")});
            }
            return job(rs);
        });
        long count = total.isEmpty() ? count(HISTORY_COUNT, s -> s.setString(1, userId)) : total.get(0)[0];
        return new HistoryPage(jobs, count);
    }

    /** Jobs of every user that started after the instant (first starts: {@code started_at} is set once). */
    public long startedSince(Instant since) {
        return count(STARTED_SINCE, s -> s.setTimestamp(1, Timestamp.from(since)));
    }

    public record QueuedJob(GenerationJob job, Long queuePosition) {
    }

    public record HistoryPage(List<GenerationJob> jobs, long total) {
    }

    private QueuedJob queuedJob(ResultSet rs) throws SQLException {
        long position = rs.getLong("queue_position");
        Long queuePosition = rs.wasNull() ? null : position;
        return new QueuedJob(job(rs), queuePosition);
    }

    private GenerationJob job(ResultSet rs) throws SQLException {
        GenerationJob job = new GenerationJob();
        job.id = rs.getObject("id", UUID.class);
        job.status = JobStatus.valueOf(rs.getString("status").toUpperCase(java.util.Locale.ROOT));
        job.createdAt = instant(rs, "created_at");
        job.startedAt = instant(rs, "started_at");
        job.completedAt = instant(rs, "completed_at");
        job.progress = rs.getInt("progress");
        job.imageCount = rs.getInt("image_count");
        job.prompt = rs.getString("prompt");
        job.designSettings = parse(rs.getString("design_settings"), DesignSettings.class);
        job.originalImageKey = rs.getString("original_image_key");
        job.resultImageKeys = parseKeys(rs.getString("result_image_keys"));
        job.thumbnailKeys = parseKeys(rs.getString("thumbnail_keys"));
        job.errorCode = rs.getString("error_code");
        job.errorMessage = rs.getString("error_message");
        job.autoSaved = rs.getBoolean("auto_saved");
        job.seenAt = instant(rs, "seen_at");
        job.cancelRequestedAt = instant(rs, "cancel_requested_at");
        job.attempt = rs.getInt("attempt");
        job.model = rs.getString("model");
        return job;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private <T> T parse(String value, Class<T> type) {
        if (value == null) {
            return null;
        }
        try {
            return json.readValue(value, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable " + type.getSimpleName() + " in generation_jobs", e);
        }
    }

    private List<String> parseKeys(String value) {
        if (value == null) {
            return null;
        }
        try {
            return json.readValue(value, KEYS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable image keys in generation_jobs", e);
        }
    }

    private long count(String sql, Binder binder) {
        return query(sql, binder, rs -> rs.getLong(1)).get(0);
    }

    private <T> List<T> query(String sql, Binder binder, RowMapper<T> mapper) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            binder.bind(s);
            try (ResultSet rs = s.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading generation_jobs failed", e);
        }
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    @FunctionalInterface
    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }
}
