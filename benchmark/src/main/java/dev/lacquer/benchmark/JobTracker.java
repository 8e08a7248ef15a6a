package dev.lacquer.benchmark;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Follows accepted jobs until PostgreSQL says they are finished (completed, failed or canceled: for a completion
 * that is also "looks saved", written in the same transaction). One thread asks for the open ones every
 * {@code pollMillis}; it survives database outages.
 */
public final class JobTracker implements AutoCloseable {

    /** One accepted job. */
    public static final class Job {
        public final UUID id;
        public final String user;
        public final Instant acceptedAt;
        public final long acceptedNanos;
        public volatile String status = "pending";
        public volatile long terminalNanos;
        public final CompletableFuture<Job> finished = new CompletableFuture<>();

        Job(UUID id, String user, Instant acceptedAt, long acceptedNanos) {
            this.id = id;
            this.user = user;
            this.acceptedAt = acceptedAt;
            this.acceptedNanos = acceptedNanos;
        }

        public boolean terminal() {
            return finished.isDone();
        }
    }

    private final Db db;
    private final long pollMillis;
    private final ConcurrentHashMap<UUID, Job> open = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<UUID, Job> all = new ConcurrentHashMap<>();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong canceled = new AtomicLong();
    private final AtomicLong pollErrors = new AtomicLong();
    private volatile boolean running = true;
    private final Thread poller;

    public JobTracker(Db db, long pollMillis) {
        this.db = db;
        this.pollMillis = pollMillis;
        this.poller = Thread.ofPlatform().daemon().name("job-tracker").start(this::loop);
    }

    public Job track(UUID id, String user, Instant acceptedAt, long acceptedNanos) {
        Job job = new Job(id, user, acceptedAt, acceptedNanos);
        all.put(id, job);
        open.put(id, job);
        return job;
    }

    public int openCount() {
        return open.size();
    }

    public long completed() {
        return completed.get();
    }

    public long failed() {
        return failed.get();
    }

    public long canceled() {
        return canceled.get();
    }

    public long terminal() {
        return completed.get() + failed.get() + canceled.get();
    }

    public long pollErrors() {
        return pollErrors.get();
    }

    public Collection<Job> jobs() {
        return all.values();
    }

    /** Waits until every tracked job is finished or the time is up; true when all finished. */
    public boolean awaitAll(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return open.isEmpty();
    }

    private void loop() {
        while (running) {
            try {
                pollOnce();
            } catch (SQLException e) {
                pollErrors.incrementAndGet();
            } catch (RuntimeException e) {
                pollErrors.incrementAndGet();
            }
            try {
                Thread.sleep(pollMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void pollOnce() throws SQLException {
        if (open.isEmpty()) {
            return;
        }
        List<UUID> ids = new ArrayList<>(open.keySet());
        for (int from = 0; from < ids.size(); from += 2000) {
            List<UUID> batch = ids.subList(from, Math.min(ids.size(), from + 2000));
            db.with(c -> {
                Array array = c.createArrayOf("uuid", batch.toArray());
                try (PreparedStatement statement = c.prepareStatement("select id, status from generation_jobs"
                        + " where id = any(?) and status in ('completed', 'failed', 'canceled')")) {
                    statement.setArray(1, array);
                    try (ResultSet rs = statement.executeQuery()) {
                        long now = System.nanoTime();
                        while (rs.next()) {
                            finish(rs.getObject(1, UUID.class), rs.getString(2), now);
                        }
                    }
                }
                return null;
            });
        }
    }

    private void finish(UUID id, String status, long now) {
        Job job = open.remove(id);
        if (job == null) {
            return;
        }
        job.status = status;
        job.terminalNanos = now;
        switch (status) {
            case "completed" -> completed.incrementAndGet();
            case "failed" -> failed.incrementAndGet();
            default -> canceled.incrementAndGet();
        }
        job.finished.complete(job);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        poller.interrupt();
        poller.join(5000);
        db.close();
    }
}
