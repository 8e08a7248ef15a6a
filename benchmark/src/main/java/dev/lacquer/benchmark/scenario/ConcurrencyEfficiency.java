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
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Scenario 3, concurrency efficiency: N jobs waiting in generation.requests, then a worker with concurrency C and
 * a generator latency L takes them. Ideal: N·L/C. Measured: the worker's first GenerationStarted to its last
 * GenerationCompleted of the round (its own timestamps, so its start-up is not counted).
 * <p>
 * Round 1 is a new worker (started after the jobs were created: its JIT compiler has seen nothing). The rounds
 * after it keep that worker: it is paused (SIGSTOP) while the next N jobs are created and resumed (SIGCONT), so
 * the same burst meets a worker whose JIT has run the rounds before, as a long-running replica's would.
 */
public final class ConcurrencyEfficiency implements Scenario {

    static final int JOBS = 1000;
    static final int CONCURRENCY = 500;
    static final Duration LATENCY = Duration.ofSeconds(2);
    static final int ROUNDS = 4;
    static final int USERS = 50;
    static final int CREATORS = 16;
    static final double TARGET = 0.9;
    static final String TARGET_TEXT = "≥ 90 % with ≥ 500 in flight";
    /** Longer than creating a round's jobs takes, so the paused worker keeps its partitions (production: 10 s). */
    static final String SESSION_TIMEOUT_MS = "45000";

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
        Map<String, String> settings = new java.util.TreeMap<>(Services.workerSettings(LATENCY, CONCURRENCY));
        settings.put("MP_MESSAGING_INCOMING_GENERATION_REQUESTS_SESSION_TIMEOUT_MS", SESSION_TIMEOUT_MS);

        try (JobTracker tracker = new JobTracker(bench.db(), 200); Db db = bench.db();
             EventWatcher watcher = new EventWatcher(bench.kafka())) {
            List<Round> rounds = new ArrayList<>();
            List<UUID> ids = createWaiting(api, tokens, users, tracker, db, "with the worker stopped");
            double ready = services.startWorker(settings);
            rounds.add(measure(bench, 1, ids, watcher, tracker));
            for (int number = 2; number <= ROUNDS; number++) {
                ServiceProcess worker = services.worker();
                worker.pause();
                try {
                    ids = createWaiting(api, tokens, users, tracker, db, "with the worker paused (SIGSTOP)");
                } finally {
                    worker.resume();
                }
                rounds.add(measure(bench, number, ids, watcher, tracker));
            }
            boolean allFinished = tracker.awaitAll(120_000);
            report(bench, rounds, ready, allFinished, tracker.failed());
        }
    }

    /** Creates N jobs through the API while no worker takes them, and waits until their requests are on the topic. */
    private static List<UUID> createWaiting(ApiClient api, List<String> tokens, List<String> users, JobTracker tracker,
                                            Db db, String how) throws Exception {
        ConcurrentLinkedQueue<UUID> ids = new ConcurrentLinkedQueue<>();
        AtomicLong next = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        Progress.status(() -> "creating " + JOBS + " jobs " + how + ": " + ids.size());
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
        Progress.say(JOBS + " jobs created " + how + " and published to generation.requests");
        return List.copyOf(ids);
    }

    /** From the worker's release (ready or resumed) until it reported every job of the round completed. */
    private static Round measure(Bench bench, int number, List<UUID> ids, EventWatcher watcher, JobTracker tracker)
            throws InterruptedException {
        ServiceProcess worker = bench.services.worker();
        Map<String, Double> cpuBefore = bench.cpu();
        long cpuFrom = System.nanoTime();
        PeakSampler peaks = PeakSampler.start(worker);
        Progress.status(() -> String.format(Locale.ROOT, "round %d of %d: %d of %d completed (events); %d finished"
                + " in the database", number, ROUNDS, countOf(watcher.completed().keySet(), ids), JOBS,
                tracker.terminal()));
        long waitUntil = System.nanoTime() + 300_000_000_000L;
        while (countOf(watcher.completed().keySet(), ids) < JOBS && System.nanoTime() < waitUntil) {
            Thread.sleep(50);
        }
        Map<String, Double> cpu = Bench.cpuBetween(cpuBefore, bench.cpu());
        double cpuSeconds = (System.nanoTime() - cpuFrom) / 1e9;
        peaks.stop();
        Round round = Round.of(number, ids, watcher, cpu, cpuSeconds, peaks, worker.peakRssBytes());
        Progress.say(String.format(Locale.ROOT, "round %d: ideal %.1f s, measured %.2f s: %s; %s", number,
                ideal(), round.measured(), Fmt.pct(round.efficiency()), Bench.cpuPerJob(cpu, round.completed())));
        return round;
    }

    private static void report(Bench bench, List<Round> rounds, double ready, boolean allFinished, long failed) {
        Round cold = rounds.getFirst();
        Round warm = rounds.getLast();
        String setup = String.format(Locale.ROOT, "%d jobs, worker concurrency %d, generator %.0f s: ideal N·L/C ="
                + " %.1f s vs first start → last completion", JOBS, CONCURRENCY, LATENCY.toMillis() / 1000.0, ideal());
        bench.results.row("3", "Round 1, a new worker (JIT cold; started after the jobs were created). " + setup,
                cold.describe(), TARGET_TEXT, cold.met());
        bench.results.row("3", "Rounds 2–" + ROUNDS + ", the same worker paused (SIGSTOP) while the next " + JOBS
                        + " jobs were created, then resumed: its JIT has run the rounds before",
                rounds.subList(1, rounds.size()).stream().map(r -> "round " + r.number() + ": " + r.describe())
                        .collect(Collectors.joining("; ")), TARGET_TEXT + " (last round)", warm.met());
        if (!Double.isNaN(bench.ceilingJobsPerSecond)) {
            // Nothing is uploaded in the first L seconds (every job is still generating); after them the N jobs'
            // objects cannot pass the slowest component faster than the run's ceiling.
            double bound = Math.max(ideal(), LATENCY.toMillis() / 1000.0 + JOBS / bench.ceilingJobsPerSecond);
            bench.results.row("3", "The same against what the run's ceiling allows: L + N ÷ ceiling of "
                            + Fmt.rate(bench.ceilingJobsPerSecond) + " jobs/s (" + bench.ceilingComponent
                            + "); 100 % of N·L/C needs C ÷ L = " + Fmt.rate(CONCURRENCY / (LATENCY.toMillis()
                            / 1000.0)) + " jobs/s through the worker",
                    String.format(Locale.ROOT, "%.1f s vs %.2f s = %s (round 1), %.2f s = %s (round %d); at best %s"
                                    + " of N·L/C on this machine", bound, cold.measured(),
                            Fmt.pct(bound / cold.measured()), warm.measured(), Fmt.pct(bound / warm.measured()),
                            warm.number(), Fmt.pct(ideal() / bound)));
        }
        for (Round round : List.of(cold, warm)) {
            bench.results.row("3", "Round " + round.number() + ": when jobs started and completed (seconds after the"
                    + " first start): the 250th / 500th / 750th / last start; the same for completions",
                    round.timeline().describe());
            bench.results.row("3", "Round " + round.number() + ": CPU from the worker's " + (round.number() == 1
                    ? "ready" : "resume") + " to the last completion (no creates in it)",
                    Bench.cpuShares(round.cpu(), round.cpuSeconds()) + "; " + Bench.cpuPerJob(round.cpu(),
                            round.completed()));
        }
        bench.results.row("3", "Worker at peak (all rounds): heap used / RSS (high-water mark)",
                Fmt.mb(rounds.stream().mapToLong(Round::peakHeap).max().orElse(-1)) + " / "
                        + Fmt.mb(rounds.stream().mapToLong(Round::peakRss).max().orElse(-1)));
        bench.results.detail("3", "concurrency", Maps.of("jobs", JOBS, "concurrency", CONCURRENCY,
                "latency_ms", LATENCY.toMillis(), "ideal_seconds", ideal(), "worker_ready_seconds", ready,
                "all_finished_in_db", allFinished, "failed_in_db", failed,
                "rounds", rounds.stream().map(Round::asMap).toList()));
    }

    static double ideal() {
        return (double) JOBS * LATENCY.toMillis() / 1000.0 / CONCURRENCY;
    }

    /** One round's figures. */
    private record Round(int number, double measured, int completed, long peakInFlight, long peakHeap, long peakRss,
                         Map<String, Double> cpu, double cpuSeconds, Timeline timeline) {

        static Round of(int number, Collection<UUID> ids, EventWatcher watcher, Map<String, Double> cpu,
                        double cpuSeconds, PeakSampler peaks, long peakRssHwm) {
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
            double measured = firstStart == null || lastCompletion == null ? Double.NaN
                    : Duration.between(firstStart, lastCompletion).toNanos() / 1e9;
            Timeline timeline = firstStart == null ? new Timeline(new double[0], new double[0])
                    : Timeline.of(firstStart, ids, watcher);
            return new Round(number, measured, completed, peaks.inFlight.get(), peaks.heap.get(),
                    Math.max(peaks.rss.get(), peakRssHwm), cpu, cpuSeconds, timeline);
        }

        double efficiency() {
            return ideal() / measured;
        }

        boolean met() {
            return efficiency() >= TARGET && peakInFlight >= CONCURRENCY;
        }

        String describe() {
            return String.format(Locale.ROOT, "%.2f s = %s efficiency (%d of %d completed; peak %d in flight)",
                    measured, Fmt.pct(efficiency()), completed, JOBS, peakInFlight);
        }

        Map<String, Object> asMap() {
            return Maps.of("round", number, "measured_seconds", measured, "efficiency", efficiency(),
                    "completed_events", completed, "peak_in_flight", peakInFlight, "peak_heap_used_bytes", peakHeap,
                    "peak_rss_bytes", peakRss, "cpu_seconds", cpu, "wall_seconds", cpuSeconds,
                    "timeline", timeline.asMap());
        }
    }

    /** Samples the worker's heap, jobs in flight and RSS every 250 ms and keeps the peaks. */
    private static final class PeakSampler {
        final AtomicLong heap = new AtomicLong(-1);
        final AtomicLong inFlight = new AtomicLong(-1);
        final AtomicLong rss = new AtomicLong(-1);
        private final AtomicBoolean sampling = new AtomicBoolean(true);
        private Thread thread;

        static PeakSampler start(ServiceProcess worker) {
            PeakSampler sampler = new PeakSampler();
            sampler.thread = Thread.ofPlatform().daemon().name("worker-sampler").start(() -> sampler.loop(worker));
            return sampler;
        }

        private void loop(ServiceProcess worker) {
            while (sampling.get()) {
                String metrics = worker.metrics();
                double heapUsed = ServiceProcess.metricSum(metrics, "jvm_memory_used_bytes", "area=\"heap\"");
                double jobs = ServiceProcess.metricSum(metrics, "lacquer_worker_jobs_in_flight");
                if (!Double.isNaN(heapUsed)) {
                    heap.accumulateAndGet((long) heapUsed, Math::max);
                }
                if (!Double.isNaN(jobs)) {
                    inFlight.accumulateAndGet((long) jobs, Math::max);
                }
                rss.accumulateAndGet(worker.rssBytes(), Math::max);
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void stop() throws InterruptedException {
            sampling.set(false);
            thread.join(2000);
        }
    }

    /** Seconds from the first start to each start and each completion, sorted. */
    private record Timeline(double[] starts, double[] completions) {
        static Timeline of(Instant origin, Collection<UUID> ids, EventWatcher watcher) {
            return new Timeline(offsets(origin, ids, watcher::startedAt), offsets(origin, ids, watcher::completedAt));
        }

        private static double[] offsets(Instant origin, Collection<UUID> ids, Function<UUID, Instant> at) {
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
                    .collect(Collectors.joining(" / "));
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

    private static int countOf(Set<UUID> seen, Collection<UUID> ids) {
        int count = 0;
        for (UUID id : ids) {
            if (seen.contains(id)) {
                count++;
            }
        }
        return count;
    }
}
