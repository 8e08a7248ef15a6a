package dev.lacquer.api.live;

import dev.lacquer.api.db.Sql;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Each API replica's view of the job_changes table. One poller per replica reads the rows of
 * every transaction that finished since its last poll (the window between two snapshots' xmin),
 * so every committed change is seen exactly once by every replica, and hands them to the
 * streams of users connected here. Costs one small query per poll, whatever the number of users.
 */
@ApplicationScoped
public class LiveFeed {

    private static final long POLL_MILLIS = 200;

    /** A change as stored: the user's sequence number, the kind of change, its JSON. */
    public record Row(String userId, long seq, String change, String payload) {
    }

    private final EntityManager em;
    private final Sql sql;
    private final Map<String, Set<Consumer<Row>>> subscribers = new ConcurrentHashMap<>();
    private volatile boolean running;
    private String watermark;

    LiveFeed(EntityManager em, Sql sql) {
        this.em = em;
        this.sql = sql;
    }

    void start(@Observes StartupEvent ignored) {
        running = true;
        Thread.ofVirtual().name("live-feed").start(this::run);
    }

    void stop(@Observes ShutdownEvent ignored) {
        running = false;
    }

    /** Delivers the user's changes committed from now on; run the returned action to stop. */
    public Runnable subscribe(String userId, Consumer<Row> subscriber) {
        subscribers.computeIfAbsent(userId, id -> ConcurrentHashMap.newKeySet()).add(subscriber);
        return () -> subscribers.computeIfPresent(userId, (id, set) -> {
            set.remove(subscriber);
            return set.isEmpty() ? null : set;
        });
    }

    /** The user's committed changes after {@code afterSeq}, in order. */
    public List<Row> replay(String userId, long afterSeq) {
        return QuarkusTransaction.requiringNew().call(() -> rows(em.createNativeQuery("""
                        select user_id, user_seq, change, payload from job_changes
                         where user_id = ?1 and user_seq > ?2 order by user_seq limit 1000""")
                .setParameter(1, userId).setParameter(2, afterSeq).getResultList()));
    }

    private void run() {
        while (running) {
            try {
                poll();
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                Log.debugf("live feed poll failed, retrying: %s", e.getMessage());
                sleepQuietly();
            }
        }
    }

    /**
     * Two auto-committed statements, no transaction around them: the second runs on a later snapshot than the first,
     * so every transaction below the first one's xmin has finished by the time it reads (as when both ran in one
     * read-committed transaction).
     */
    private void poll() {
        String xmin = sql.query("select cast(pg_snapshot_xmin(pg_current_snapshot()) as text)", rs -> rs.getString(1))
                .get(0);
        if (watermark != null && !subscribers.isEmpty()) {
            List<Row> rows = sql.query("""
                            select user_id, user_seq, change, payload from job_changes
                             where tx >= cast(? as xid8) and tx < cast(? as xid8) and user_id = any(?)
                             order by user_id, user_seq""",
                    rs -> new Row(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4)),
                    watermark, xmin, subscribers.keySet().toArray(String[]::new));
            rows.forEach(this::dispatch);
        }
        watermark = xmin;
    }

    private void dispatch(Row row) {
        Set<Consumer<Row>> targets = subscribers.get(row.userId());
        if (targets != null) {
            targets.forEach(target -> target.accept(row));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Row> rows(List<?> result) {
        return ((List<Object[]>) result).stream()
                .map(r -> new Row((String) r[0], ((Number) r[1]).longValue(), (String) r[2], (String) r[3]))
                .toList();
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
