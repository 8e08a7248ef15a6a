package dev.lacquer.benchmark.scenario;

import dev.lacquer.benchmark.ApiClient;
import dev.lacquer.benchmark.Bench;
import dev.lacquer.benchmark.Db;
import dev.lacquer.benchmark.EventWatcher;
import dev.lacquer.benchmark.Fmt;
import dev.lacquer.benchmark.JobTracker;
import dev.lacquer.benchmark.Maps;
import dev.lacquer.benchmark.Progress;
import dev.lacquer.benchmark.ServiceProcess;
import dev.lacquer.benchmark.Services;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 3, concurrency efficiency: N jobs waiting in generation.requests (created while the worker is
 * stopped), then a worker with concurrency C and a generator latency L. Ideal: N·L/C. Measured: the worker's
 * first GenerationStarted to its last GenerationCompleted (its own timestamps, so its start-up is not counted).
 */
public final class ConcurrencyEfficiency implements Scenario {

    static final int JOBS = 1000;
    static final int CONCURRENCY = 500;
    static final Duration LATENCY = Duration.ofSeconds(2);
    static final int USERS = 50;
    static final int CREATORS = 16;
    static final double TARGET = 0.9;

    @Override
    public String title() {
        return "concurrency efficiency";
    }

    @Override
    public void run(Bench bench) throws Exception {
        Services services = bench.services;
        services.ensureApi(Services.apiDefaults());
        services.stopWorker();
        ApiClient api = bench.api();
        List<String> users = bench.users("s3", USERS);
        List<String> tokens = api.tokens(users, 7200);

        try (JobTracker tracker = new JobTracker(bench.db(), 200); Db db = bench.db()) {
            // 1. N jobs into the topic while no worker runs.
            ConcurrentLinkedQueue<UUID> ids = new ConcurrentLinkedQueue<>();
            AtomicLong next = new AtomicLong();
            AtomicLong failures = new AtomicLong();
            Progress.status(() -> "creating " + JOBS + " jobs with the worker stopped: " + ids.size());
            List<Thread> creators = new ArrayList<>();
            for (int t = 0; t < CREATORS; t++) {
                creators.add(Thread.ofVirtual().start(() -> {
                    long i;
                    while ((i = next.getAndIncrement()) < JOBS) {
                        int u = (int) (i % USERS);
                        try {
                            ApiClient.Created answer = api.create(tokens.get(u));
                            if (answer.accepted()) {
                                ids.add(answer.jobId());
                                tracker.track(answer.jobId(), users.get(u), answer.answeredAt(), answer.answeredNanos());
                            } else if (failures.incrementAndGet() < 100) {
                                next.decrementAndGet();
                            }
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }));
            }
            for (Thread creator : creators) {
                creator.join();
            }
            if (ids.size() < JOBS) {
                throw new IllegalStateException("only " + ids.size() + " of " + JOBS + " creates were accepted");
            }
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (db.count("select count(*) from outbox") > 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Progress.say(JOBS + " jobs created and published to generation.requests; starting the worker with"
                    + " concurrency " + CONCURRENCY + " and a " + LATENCY.toMillis() + " ms generator");

            // 2. The worker takes them.
            try (EventWatcher watcher = new EventWatcher(bench.kafka())) {
                AtomicBoolean sampling = new AtomicBoolean(true);
                AtomicLong peakHeap = new AtomicLong(-1);
                AtomicLong peakInFlight = new AtomicLong(-1);
                AtomicLong peakRss = new AtomicLong(-1);
                double ready = services.startWorker(Services.workerSettings(LATENCY, CONCURRENCY));
                Map<String, Double> cpuBefore = bench.cpu();
                long cpuFrom = System.nanoTime();
                ServiceProcess worker = services.worker();
                Thread sampler = Thread.ofPlatform().daemon().name("worker-sampler").start(() -> {
                    while (sampling.get()) {
                        String metrics = worker.metrics();
                        double heap = ServiceProcess.metricSum(metrics, "jvm_memory_used_bytes", "area=\"heap\"");
                        double inFlight = ServiceProcess.metricSum(metrics, "lacquer_worker_jobs_in_flight");
                        if (!Double.isNaN(heap)) {
                            peakHeap.accumulateAndGet((long) heap, Math::max);
                        }
                        if (!Double.isNaN(inFlight)) {
                            peakInFlight.accumulateAndGet((long) inFlight, Math::max);
                        }
                        peakRss.accumulateAndGet(worker.rssBytes(), Math::max);
                        try {
                            Thread.sleep(250);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                Progress.status(() -> String.format(Locale.ROOT, "worker: %d started, %d completed (events); "
                        + "%d finished in the database", watcher.started().size(), watcher.completed().size(),
                        tracker.terminal()));
                long waitUntil = System.nanoTime() + 300_000_000_000L;
                while (countOf(watcher.completed().keySet(), ids) < JOBS && System.nanoTime() < waitUntil) {
                    Thread.sleep(50);
                }
                Map<String, Double> cpu = Bench.cpuBetween(cpuBefore, bench.cpu());
                double cpuSeconds = (System.nanoTime() - cpuFrom) / 1e9;
                sampling.set(false);
                sampler.join(2000);
                long peakRssHwm = worker.peakRssBytes();
                boolean allFinished = tracker.awaitAll(120_000);

                Instant firstStart = null;
                Instant lastCompletion = null;
                int completed = 0;
                for (UUID id : ids) {
                    Instant started = watcher.startedAt(id);
                    Instant done = watcher.completedAt(id);
                    if (started != null && (firstStart == null || started.isBefore(firstStart))) {
                        firstStart = started;
                    }
                    if (done != null) {
                        completed++;
                        if (lastCompletion == null || done.isAfter(lastCompletion)) {
                            lastCompletion = done;
                        }
                    }
                }
                double ideal = (double) JOBS * LATENCY.toMillis() / 1000.0 / CONCURRENCY;
                double measured = firstStart == null || lastCompletion == null ? Double.NaN
                        : Duration.between(firstStart, lastCompletion).toNanos() / 1e9;
                double efficiency = ideal / measured;
                // What the same run's ceiling allows: N jobs cannot pass the slowest component faster than this.
                double ceilingBound = Double.isNaN(bench.ceilingJobsPerSecond) ? Double.NaN
                        : Math.max(ideal, JOBS / bench.ceilingJobsPerSecond);
                Progress.say(String.format(Locale.ROOT, "ideal %.1f s, measured %.2f s: %s", ideal, measured,
                        Fmt.pct(efficiency)));
                bench.results.row("3", String.format(Locale.ROOT, "%d jobs, worker concurrency %d, generator %.0f s:"
                                + " ideal N·L/C = %.1f s vs first start → last completion", JOBS, CONCURRENCY,
                                LATENCY.toMillis() / 1000.0, ideal),
                        String.format(Locale.ROOT, "%.2f s = %s efficiency (%d of %d completed; peak %d in flight)",
                                measured, Fmt.pct(efficiency), completed, JOBS, peakInFlight.get()),
                        "≥ 90 % with ≥ 500 in flight", efficiency >= TARGET && peakInFlight.get() >= 500);
                if (!Double.isNaN(ceilingBound)) {
                    bench.results.row("3", "The same against what the run's ceiling allows (max of N·L/C and N ÷ "
                                    + "ceiling of " + Fmt.rate(bench.ceilingJobsPerSecond) + " jobs/s)",
                            String.format(Locale.ROOT, "%.1f s vs %.2f s = %s", ceilingBound, measured,
                                    Fmt.pct(ceilingBound / measured)));
                }
                if (firstStart != null) {
                    Timeline timeline = Timeline.of(firstStart, ids, watcher);
                    bench.results.row("3", "When jobs started and completed (seconds after the first start): the"
                                    + " 250th / 500th / 750th / last start; the same for completions",
                            timeline.describe());
                    bench.results.detail("3", "timeline", timeline.asMap());
                }
                bench.results.row("3", "CPU from the worker's ready to the last completion (no creates in it: the"
                        + " jobs were created before)", Bench.cpuShares(cpu, cpuSeconds) + "; "
                        + Bench.cpuPerJob(cpu, completed));
                bench.results.detail("3", "cpu_seconds", cpu);
                bench.results.row("3", "Worker at peak: heap used / RSS (high-water mark)",
                        Fmt.mb(peakHeap.get()) + " / " + Fmt.mb(Math.max(peakRss.get(), peakRssHwm)));
                bench.results.detail("3", "concurrency", Maps.of("jobs", JOBS, "concurrency", CONCURRENCY,
                        "latency_ms", LATENCY.toMillis(), "ideal_seconds", ideal, "measured_seconds", measured,
                        "efficiency", efficiency, "ceiling_bound_seconds", ceilingBound, "completed_events", completed, "peak_in_flight", peakInFlight.get(),
                        "peak_heap_used_bytes", peakHeap.get(), "peak_rss_sampled_bytes", peakRss.get(),
                        "peak_rss_hwm_bytes", peakRssHwm, "worker_ready_seconds", ready,
                        "all_finished_in_db", allFinished, "failed_in_db", tracker.failed()));
            }
        }
    }

    /** Seconds from the first start to each start and each completion, sorted. */
    private record Timeline(double[] starts, double[] completions) {
        static Timeline of(Instant origin, java.util.Collection<UUID> ids, EventWatcher watcher) {
            return new Timeline(offsets(origin, ids, watcher::startedAt), offsets(origin, ids, watcher::completedAt));
        }

        private static double[] offsets(Instant origin, java.util.Collection<UUID> ids,
                                        java.util.function.Function<UUID, Instant> at) {
            return ids.stream().map(at).filter(java.util.Objects::nonNull)
                    .mapToDouble(t -> Duration.between(origin, t).toNanos() / 1e9).sorted().toArray();
        }

        String describe() {
            return "starts " + quarters(starts) + " s; completions " + quarters(completions) + " s";
        }

        Map<String, Object> asMap() {
            return Maps.of("start_seconds_by_quarter", quarterList(starts),
                    "completion_seconds_by_quarter", quarterList(completions));
        }

        private static String quarters(double[] sorted) {
            return quarterList(sorted).stream().map(v -> String.format(Locale.ROOT, "%.1f", v))
                    .collect(java.util.stream.Collectors.joining(" / "));
        }

        private static List<Double> quarterList(double[] sorted) {
            List<Double> at = new ArrayList<>();
            for (int quarter = 1; quarter <= 4; quarter++) {
                if (sorted.length > 0) {
                    at.add(sorted[Math.max(0, sorted.length * quarter / 4 - 1)]);
                }
            }
            return at;
        }
    }

    private static int countOf(java.util.Set<UUID> seen, java.util.Collection<UUID> ids) {
        int count = 0;
        for (UUID id : ids) {
            if (seen.contains(id)) {
                count++;
            }
        }
        return count;
    }
}
