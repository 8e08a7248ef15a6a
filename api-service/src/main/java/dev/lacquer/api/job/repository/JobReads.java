package dev.lacquer.api.job.repository;

import dev.lacquer.api.db.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The read path clients poll (job status, pending-generations, history), in plain SQL: one round trip per request,
 * no persistence context, and statuses written as literals so that every plan, custom or generic (pgjdbc prepares
 * a statement on the server after its fifth use and PostgreSQL may then keep a generic plan), can use the partial
 * indexes of V6 instead of reading a user's whole history. The jobs come back as detached {@link GenerationJob}s.
 */
@ApplicationScoped
public class JobReads {

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

    private static final String OWNED = "select " + JobRows.COLUMNS + ", " + QUEUE_POSITION
            + " from generation_jobs j where j.id = ? and j.user_id = ?";

    private static final String ATTENTION = "select " + JobRows.COLUMNS + ", " + QUEUE_POSITION
            + " from generation_jobs j where j.user_id = ? and " + NEEDS_ATTENTION;

    private static final String HISTORY_PAGE = "select " + JobRows.COLUMNS
            + ", (select count(*) from generation_jobs c where c.user_id = ?) as total"
            + " from generation_jobs j where j.user_id = ? order by j.created_at desc, j.id desc limit ? offset ?";

    private static final String HISTORY_COUNT = "select count(*) from generation_jobs where user_id = ?";

    private static final String STARTED_SINCE = "select count(*) from generation_jobs where started_at > ?";

    private final Sql sql;

    JobReads(Sql sql) {
        this.sql = sql;
    }

    /** A job with its queue position (when pending), if it belongs to the user. */
    public Optional<QueuedJob> owned(UUID jobId, String userId) {
        return sql.query(OWNED, JobReads::queuedJob, jobId, userId).stream().findFirst();
    }

    /** The user's pending and processing jobs and finished (completed or failed) jobs not acknowledged yet. */
    public List<QueuedJob> needingAttention(String userId) {
        return sql.query(ATTENTION, JobReads::queuedJob, userId);
    }

    /** One page of the user's history, newest first, with the number of jobs in it. */
    public HistoryPage history(String userId, int page, int size) {
        List<long[]> total = new ArrayList<>(1);
        // The first parameter is the total's: counted once, not correlated with each row.
        List<GenerationJob> jobs = sql.query(HISTORY_PAGE, rs -> {
            if (total.isEmpty()) {
                total.add(new long[] {rs.getLong("total")});
            }
            return JobRows.read(rs);
        }, userId, userId, size, (long) page * size);
        long count = total.isEmpty() ? sql.queryLong(HISTORY_COUNT, userId) : total.get(0)[0];
        return new HistoryPage(jobs, count);
    }

    /** Jobs of every user that started after the instant (first starts: {@code started_at} is set once). */
    public long startedSince(Instant since) {
        return sql.queryLong(STARTED_SINCE, since);
    }

    public record QueuedJob(GenerationJob job, Long queuePosition) {
    }

    public record HistoryPage(List<GenerationJob> jobs, long total) {
    }

    private static QueuedJob queuedJob(ResultSet rs) throws SQLException {
        long position = rs.getLong("queue_position");
        Long queuePosition = rs.wasNull() ? null : position;
        return new QueuedJob(JobRows.read(rs), queuePosition);
    }
}
