package dev.lacquer.benchmark.scenario;

import dev.lacquer.benchmark.ApiClient;
import dev.lacquer.benchmark.Bench;
import dev.lacquer.benchmark.Db;
import dev.lacquer.benchmark.Fmt;
import dev.lacquer.benchmark.Hist;
import dev.lacquer.benchmark.JobTracker;
import dev.lacquer.benchmark.Maps;
import dev.lacquer.benchmark.OpenLoop;
import dev.lacquer.benchmark.PgActivity;
import dev.lacquer.benchmark.Progress;
import dev.lacquer.benchmark.Services;
import dev.lacquer.benchmark.WarmUp;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 1, throughput through the whole loop (create → started → completed → looks saved), benchmark generator
 * with zero latency and 2 images per job, many users. Phase A: closed loop, each simulated user creating its next
 * job when the previous one is finished: the most the system does. Phase B: open loop at 90 % of that rate for as
 * long: is the backlog (accepted, not yet finished) stable at that rate?
 */
public final class Throughput implements Scenario {

    static final int USERS = 50;
    static final int WORKER_CONCURRENCY = 64;
    static final double OPEN_LOOP_SHARE = 0.9;
    static final double TARGET_SHARE_OF_CEILING = 0.6;
    static final double TARGET_JOBS_PER_SECOND = 150;
    static final int ARRIVAL_SECONDS = 8;

    @Override
    public String title() {
        return "throughput, whole loop";
    }

    @Override
    public void run(Bench bench) throws Exception {
        Services services = bench.services;
        services.ensureApi(Services.apiDefaults());
        services.ensureWorker(Services.workerSettings(Duration.ZERO, WORKER_CONCURRENCY));
        ApiClient api = bench.api();
        List<String> users = bench.users("s1", USERS);
        List<String> tokens = api.tokens(users, 7200);
        int seconds = bench.options.duration();

        try (JobTracker tracker = new JobTracker(bench.db(), 50); Db sampler = bench.db()) {
            // ---- phase A: closed loop ----
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong created = new AtomicLong();
            Map<Integer, AtomicLong> rejected = new ConcurrentHashMap<>();
            Hist createLatency = new Hist();
            Hist loopLatency = new Hist();
            AtomicLong measuring = new AtomicLong(Long.MAX_VALUE);
            List<Thread> userThreads = new ArrayList<>();
            for (int u = 0; u < USERS; u++) {
                String user = users.get(u);
                String token = tokens.get(u);
                // Users arrive one after the other at the start of the warm-up, not all in the same millisecond.
                long arrival = (long) u * ARRIVAL_SECONDS * 1000L / USERS;
                userThreads.add(Thread.ofVirtual().name("user-" + u).start(() -> {
                    try {
                        Thread.sleep(arrival);
                    } catch (InterruptedException e) {
                        return;
                    }
                    while (!stop.get()) {
                        try {
                            long sent = System.nanoTime();
                            ApiClient.Created answer = api.create(token);
                            if (!answer.accepted()) {
                                rejected.computeIfAbsent(answer.status(), s -> new AtomicLong()).incrementAndGet();
                                Thread.sleep(100);
                                continue;
                            }
                            created.incrementAndGet();
                            JobTracker.Job job = tracker.track(answer.jobId(), user, answer.answeredAt(),
                                    answer.answeredNanos());
                            job.finished.get(120, TimeUnit.SECONDS);
                            if (sent >= measuring.get()) {
                                createLatency.recordNanos(answer.answeredNanos() - sent);
                                loopLatency.recordNanos(job.terminalNanos - sent);
                            }
                        } catch (InterruptedException e) {
                            return;
                        } catch (Exception e) {
                            rejected.computeIfAbsent(-1, s -> new AtomicLong()).incrementAndGet();
                        }
                    }
                }));
            }
            WarmUp.Outcome warmUp = WarmUp.run(tracker::completed, bench.watched(true), bench.options.warmup());
            Progress.say("phase A: warm-up " + warmUp.describe());
            bench.warmed();
            long aStart = System.nanoTime();
            measuring.set(aStart);
            long aCompletedBefore = tracker.completed();
            Map<String, Double> cpuBefore = bench.cpu();
            PgActivity pgBefore = PgActivity.read(sampler);
            List<long[]> aBacklog = new ArrayList<>();
            Progress.status(() -> String.format(Locale.ROOT, "phase A (closed loop, %d users): %.0f/%d s, %s finished,"
                    + " %.0f jobs/s", USERS, (System.nanoTime() - aStart) / 1e9, seconds,
                    Fmt.num(tracker.completed() - aCompletedBefore),
                    (tracker.completed() - aCompletedBefore) / Math.max(0.1, (System.nanoTime() - aStart) / 1e9)));
            sampleFor(seconds, tracker, sampler, aBacklog, aStart);
            long aCompleted = tracker.completed() - aCompletedBefore;
            double aSeconds = (System.nanoTime() - aStart) / 1e9;
            Map<String, Double> cpu = Bench.cpuBetween(cpuBefore, bench.cpu());
            PgActivity pg = PgActivity.read(sampler).since(pgBefore);
            stop.set(true);
            for (Thread thread : userThreads) {
                thread.interrupt();
            }
            long joinDeadline = System.nanoTime() + 30_000_000_000L;
            for (Thread thread : userThreads) {
                thread.join(Math.max(1, (joinDeadline - System.nanoTime()) / 1_000_000));
            }
            double closedRate = aCompleted / aSeconds;
            Progress.say(String.format(Locale.ROOT, "phase A: %s jobs/s closed loop (%s)", Fmt.rate(closedRate),
                    Bench.cpuShares(cpu, aSeconds)));
            tracker.awaitAll(60_000);

            // ---- phase B: open loop at 90 % ----
            double rate = Math.max(1, closedRate * OPEN_LOOP_SHARE);
            long bCompletedBefore = tracker.completed();
            AtomicLong bCreated = new AtomicLong();
            Map<Integer, AtomicLong> bRejected = new ConcurrentHashMap<>();
            List<long[]> bBacklog = new ArrayList<>();
            long bStart = System.nanoTime();
            Thread sampling = Thread.ofPlatform().daemon().start(() -> {
                try {
                    sampleFor(seconds, tracker, sampler, bBacklog, bStart);
                } catch (InterruptedException ignored) {
                    // stopped
                }
            });
            Progress.status(() -> String.format(Locale.ROOT, "phase B (open loop at %s jobs/s): %.0f/%d s, backlog %d",
                    Fmt.rate(rate), (System.nanoTime() - bStart) / 1e9, seconds, tracker.openCount()));
            Map<String, Double> bCpuBefore = bench.cpu();
            OpenLoop.Outcome outcome = OpenLoop.run(rate, seconds, 5000, () -> false, (due, i, done) -> {
                int u = (int) (i % USERS);
                api.createAsync(tokens.get(u)).whenComplete((answer, failure) -> {
                    if (answer != null && answer.accepted()) {
                        bCreated.incrementAndGet();
                        tracker.track(answer.jobId(), users.get(u), answer.answeredAt(), answer.answeredNanos());
                    } else {
                        bRejected.computeIfAbsent(answer == null ? -1 : answer.status(), s -> new AtomicLong())
                                .incrementAndGet();
                    }
                    done.run();
                });
            });
            sampling.join();
            double bSeconds = (System.nanoTime() - bStart) / 1e9;
            Map<String, Double> bCpu = Bench.cpuBetween(bCpuBefore, bench.cpu());
            long bCompleted = tracker.completed() - bCompletedBefore;
            double openRate = bCompleted / bSeconds;
            double slope = slope(bBacklog, bBacklog.size() / 3);
            long backlogEnd = bBacklog.isEmpty() ? 0 : bBacklog.getLast()[1];
            // Stable: the backlog grows by less than 5 % of the offered rate per second over the last 2/3 (median slope).
            boolean stable = slope < 0.05 * rate && backlogEnd < rate * 5 + 50;
            Progress.say(String.format(Locale.ROOT, "phase B: offered %s/s, finished %s/s, backlog slope %.1f jobs/s,"
                    + " backlog at end %d (%s)", Fmt.rate(rate), Fmt.rate(openRate), slope, backlogEnd,
                    stable ? "stable" : "GROWING"));
            Progress.status(() -> "draining: " + tracker.openCount() + " jobs not finished yet");
            boolean drained = tracker.awaitAll(120_000);

            // ---- figures ----
            double ceiling = bench.ceilingJobsPerSecond;
            double sustained = stable ? openRate : Double.NaN;
            bench.sustainedJobsPerSecond = stable ? openRate : closedRate * 0.5;
            boolean met = stable && sustained >= TARGET_JOBS_PER_SECOND
                    && !Double.isNaN(ceiling) && sustained >= TARGET_SHARE_OF_CEILING * ceiling;
            bench.results.row("1", "Warm-up before anything below was measured: the closed loop until the services' JIT"
                    + " compiler threads took at most " + WarmUp.SETTLED_JIT_PERCENT + " % of each one's CPU",
                    warmUp.describe());
            bench.results.row("1", "Closed loop, " + USERS + " users, each creating its next job when the last one "
                    + "finished (2 images, 0 s generator)", Fmt.rate(closedRate) + " jobs/s; create " + createLatency.brief()
                    + "; create → looks saved " + loopLatency.brief());
            bench.results.row("1", "Open loop at 90 % of that for " + seconds + " s: backlog (accepted, not finished)",
                    String.format(Locale.ROOT, "%s jobs/s finished of %s offered; backlog slope %.1f jobs/s, %d at end: %s",
                            Fmt.rate(openRate), Fmt.rate(rate), slope, backlogEnd, stable ? "stable" : "growing"),
                    "stable", stable);
            bench.results.row("1", "Sustained whole-loop throughput (open loop, stable backlog)",
                    (stable ? Fmt.rate(sustained) + " jobs/s" : "not sustained") + (Double.isNaN(ceiling)
                            ? " (ceiling not measured: run scenario 0 in the same run)"
                            : " = " + Fmt.pct(sustained / ceiling) + " of the ceiling (" + Fmt.rate(ceiling)
                            + " jobs/s, " + bench.ceilingComponent + ")"),
                    "≥ 150 jobs/s and ≥ 60 % of ceiling", met);
            bench.results.row("1", "CPU during the closed loop", Bench.cpuShares(cpu, aSeconds) + "; "
                    + Bench.cpuPerJob(cpu, aCompleted));
            bench.results.row("1", "PostgreSQL's work during the closed loop (every client's, the benchmark's own polls"
                    + " of the jobs among them)", pg.perJob(aCompleted));
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("users", USERS);
            detail.put("worker_concurrency", WORKER_CONCURRENCY);
            detail.put("warm_up", Maps.of("seconds", warmUp.seconds(), "settled", warmUp.settled(),
                    "windows", warmUp.windows(), "window_seconds", WarmUp.WINDOW_SECONDS));
            detail.put("closed_loop", Maps.of("seconds", aSeconds, "completed", aCompleted, "jobs_per_second",
                    closedRate, "create_latency", createLatency.summary(), "loop_latency", loopLatency.summary(),
                    "rejected", counts(rejected), "cpu_seconds", cpu, "backlog_samples", aBacklog,
                    "postgres_transactions", pg.transactions(), "postgres_wal_bytes", pg.walBytes(),
                    "postgres_wal_flushes", pg.walFlushes()));
            detail.put("open_loop", Maps.of("offered_per_second", rate, "issued", outcome.issued(), "accepted",
                    bCreated.get(), "completed", bCompleted, "jobs_per_second", openRate, "backlog_slope", slope,
                    "backlog_samples", bBacklog, "rejected", counts(bRejected), "cpu_seconds", bCpu,
                    "late_starts", outcome.lateStarts()));
            detail.put("drained", drained);
            detail.put("failed", tracker.failed());
            detail.put("backlog_sample_columns", List.of("second", "accepted_not_finished", "pending_in_db",
                    "processing_in_db", "outbox_rows"));
            bench.results.detail("1", "throughput", detail);
        }
    }

    static Map<String, Long> counts(Map<Integer, AtomicLong> byStatus) {
        Map<String, Long> map = new LinkedHashMap<>();
        byStatus.forEach((status, count) -> map.put(status == -1 ? "network error" : "HTTP " + status, count.get()));
        return map;
    }

    /** Every second: accepted-not-finished, pending and processing jobs in the database, outbox rows. */
    static void sampleFor(int seconds, JobTracker tracker, Db db, List<long[]> samples, long start)
            throws InterruptedException {
        for (int s = 1; s <= seconds; s++) {
            long due = start + s * 1_000_000_000L;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            long pending = -1;
            long processing = -1;
            long outbox = -1;
            try {
                long[] row = db.with(c -> {
                    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                            "select count(*) filter (where status = 'pending'), count(*) filter (where status ="
                                    + " 'processing'), (select count(*) from outbox) from generation_jobs"
                                    + " where status in ('pending', 'processing')")) {
                        rs.next();
                        return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
                    }
                });
                pending = row[0];
                processing = row[1];
                outbox = row[2];
            } catch (Exception e) {
                // keep sampling
            }
            synchronized (samples) {
                samples.add(new long[] {s, tracker.openCount(), pending, processing, outbox});
            }
        }
    }

    /**
     * Slope (per second) of the backlog column over the samples from {@code from} on: the median of the slopes
     * between every pair of samples (Theil–Sen). One stall that drains again (a checkpoint, a GC pause, the load
     * generator late) moves a least-squares line a lot and this median little; a backlog that keeps growing moves
     * both.
     */
    static double slope(List<long[]> samples, int from) {
        List<long[]> tail = samples.subList(Math.min(from, samples.size()), samples.size());
        List<Double> slopes = new ArrayList<>();
        for (int a = 0; a < tail.size(); a++) {
            for (int b = a + 1; b < tail.size(); b++) {
                long dx = tail.get(b)[0] - tail.get(a)[0];
                if (dx != 0) {
                    slopes.add((double) (tail.get(b)[1] - tail.get(a)[1]) / dx);
                }
            }
        }
        if (slopes.isEmpty()) {
            return 0;
        }
        Collections.sort(slopes);
        int middle = slopes.size() / 2;
        return slopes.size() % 2 == 1 ? slopes.get(middle) : (slopes.get(middle - 1) + slopes.get(middle)) / 2;
    }
}
