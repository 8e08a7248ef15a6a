package dev.lacquer.benchmark.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lacquer.benchmark.ApiClient;
import dev.lacquer.benchmark.Bench;
import dev.lacquer.benchmark.Db;
import dev.lacquer.benchmark.Fmt;
import dev.lacquer.benchmark.Hist;
import dev.lacquer.benchmark.JobTracker;
import dev.lacquer.benchmark.Maps;
import dev.lacquer.benchmark.OpenLoop;
import dev.lacquer.benchmark.Progress;
import dev.lacquer.benchmark.ReadLoad;
import dev.lacquer.benchmark.Services;
import dev.lacquer.benchmark.WarmUp;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 4, API latency and read capacity, with OIDC tokens, for a user with 10,000 finished jobs (and 20,000
 * looks) of history seeded straight into PostgreSQL (with their ledger charges, so the books still balance).
 * First create, job status and pending-generations at fixed rates at once; then pending-generations alone, warmed
 * up at {@link #WARM_UP} rates (not counted), at rising rates, to find the highest whose p99 stays under 25 ms.
 */
public final class ApiLatency implements Scenario {

    static final int HISTORY = 10_000;
    static final double CREATE_RATE = 5;
    static final double STATUS_RATE = 50;
    static final double PENDING_RATE = 50;
    static final double P99_TARGET_MS = 25;
    static final double CAPACITY_TARGET = 3000;
    static final int[] LADDER = {50, 100, 200, 500, 1000, 1500, 2000, 3000, 4000, 5000, 6000};
    /**
     * Rates the read path runs at before the ladder, not counted: capacity is a property of a warm replica (one that
     * serves thousands of requests a second has long had its read path compiled and its heap grown), while a fresh
     * one's first seconds at a high rate run interpreted code, the compiler threads and heap growth on the same two
     * cores. Reported beside the capacity, so the cold replica's latency stays visible.
     */
    static final int[] WARM_UP = {500, 1000, 2000};
    /** Steps at the last warm-up rate, at most, until the API's JIT settled. */
    static final int MAX_SETTLE_STEPS = 12;
    static final int MAX_OUTSTANDING = 2000;
    static final String PENDING_PATH = "/api/user/pending-generations";

    @Override
    public String title() {
        return "API latency and read capacity";
    }

    @Override
    public void run(Bench bench) throws Exception {
        Services services = bench.services;
        services.ensureApi(Services.apiDefaults());
        services.ensureWorker(Services.workerSettings(Duration.ZERO, Throughput.WORKER_CONCURRENCY));
        WarmUp.Outcome warmUp = bench.warmUp(false);
        if (warmUp != null) {
            bench.results.row("4", "Warm-up before anything below was measured (the API not warmed before in this run):"
                    + " a closed loop of 50 users until its JIT settled", warmUp.describe());
        }
        ApiClient api = bench.api();
        String user = "s4-" + bench.runId + "-heavy";
        String token = api.token(user, 7200);
        api.get(token, "/api/user/credits"); // the account, with its starting grant
        Progress.status(() -> "seeding " + Fmt.num(HISTORY) + " jobs of history for " + user);
        long seedStart = System.nanoTime();
        List<UUID> history = seed(bench, user);
        double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
        Progress.say("seeded " + Fmt.num(HISTORY) + " jobs and " + Fmt.num(2L * HISTORY) + " looks in "
                + Fmt.secs(seedSeconds));
        int seconds = bench.options.duration();

        // ---- fixed rates, all three at once ----
        Hist create = new Hist();
        Hist status = new Hist();
        Hist pending = new Hist();
        AtomicLong errors = new AtomicLong();
        try (JobTracker tracker = new JobTracker(bench.db(), 100)) {
            Progress.status(() -> String.format(Locale.ROOT, "fixed rates for %d s: create %s/s, status %s/s, "
                    + "pending-generations %s/s; %d/%d/%d answered", seconds, Fmt.rate(CREATE_RATE),
                    Fmt.rate(STATUS_RATE), Fmt.rate(PENDING_RATE), create.count(), status.count(), pending.count()));
            List<Thread> loops = new ArrayList<>();
            loops.add(Thread.ofPlatform().name("create-loop").start(() -> run(CREATE_RATE, seconds, (due, i, done) ->
                    api.createAsync(token).whenComplete((answer, failure) -> {
                        if (answer != null && answer.accepted()) {
                            create.recordNanos(answer.answeredNanos() - due);
                            // The app acknowledges finished jobs (auto-save marks them seen), as clients do.
                            tracker.track(answer.jobId(), user, answer.answeredAt(), answer.answeredNanos())
                                    .finished.thenRunAsync(() -> acknowledge(api, token, answer.jobId()));
                        } else {
                            errors.incrementAndGet();
                        }
                        done.run();
                    }))));
            loops.add(Thread.ofPlatform().name("status-loop").start(() -> run(STATUS_RATE, seconds, (due, i, done) -> {
                UUID job = history.get(ThreadLocalRandom.current().nextInt(history.size()));
                timed(api, api.getRequest(token, "/api/generation-job/" + job), due, status, errors, done);
            })));
            loops.add(Thread.ofPlatform().name("pending-loop").start(() -> run(PENDING_RATE, seconds, (due, i, done) ->
                    timed(api, api.getRequest(token, "/api/user/pending-generations"), due, pending, errors, done))));
            for (Thread loop : loops) {
                loop.join();
            }
            // Before the capacity steps the app has seen every job it created: the user's pending state is back to
            // the seeded one (2 completed designs-to-announce, nothing running).
            Progress.status(() -> "waiting for the " + tracker.openCount() + " jobs created above, then acknowledging");
            tracker.awaitAll(120_000);
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
                for (JobTracker.Job job : tracker.jobs()) {
                    pool.submit(() -> acknowledge(api, token, job.id));
                }
            }
        }
        Progress.say("create " + create.brief() + "; status " + status.brief() + "; pending " + pending.brief());
        bench.results.row("4", "create at " + Fmt.rate(CREATE_RATE) + "/s (user with " + Fmt.num(HISTORY)
                + " jobs of history; photo " + bench.photo().length / 1024 + " KB as a data URL)", create.brief());
        bench.results.row("4", "job status (GET /api/generation-job/{id}, a random job of the history) at "
                + Fmt.rate(STATUS_RATE) + "/s, at the same time", status.brief());
        bench.results.row("4", "pending-generations at " + Fmt.rate(PENDING_RATE) + "/s, at the same time",
                pending.brief() + (errors.get() > 0 ? "; " + errors.get() + " errors" : ""));

        // ---- pending-generations capacity ----
        String state = "?";
        try {
            JsonNode counts = ApiClient.JSON.readTree(api.get(token, "/api/user/pending-generations").body())
                    .path("counts");
            state = counts.path("activeJobs").asInt() + " running, " + counts.path("completedJobs").asInt()
                    + " finished to announce";
        } catch (Exception e) {
            // described as "?"
        }
        double stepSeconds = Math.max(5, seconds / 4.0);
        try (ReadLoad load = new ReadLoad(bench.services.apiUrl())) {
            capacity(bench, load, token, state, stepSeconds, create, status, pending, errors, seedSeconds);
        }
    }

    private void capacity(Bench bench, ReadLoad load, String token, String state, double stepSeconds, Hist create,
                          Hist status, Hist pending, AtomicLong errors, double seedSeconds) throws Exception {
        List<Map<String, Object>> steps = new ArrayList<>();
        double best = 0;
        Hist bestHist = null;
        Map<String, Double> bestCpu = null;
        double bestSeconds = 1;
        int failedAt = -1;
        Hist failedHist = null;
        List<Integer> rates = new ArrayList<>();
        for (int rate : LADDER) {
            rates.add(rate);
        }
        List<Map<String, Object>> warmUp = new ArrayList<>();
        StringBuilder warmUpBrief = new StringBuilder();
        for (int rate : WARM_UP) {
            Step step = step(bench, load, token, PENDING_PATH, rate, stepSeconds);
            warmUp.add(step.describe());
            warmUpBrief.append(warmUpBrief.isEmpty() ? "" : "; then ").append(Fmt.num(rate)).append(" req/s: ")
                    .append(step.hist.brief());
            Progress.say(String.format(Locale.ROOT, "warm-up, pending-generations at %d/s (not counted): %s, %d errors",
                    rate, step.hist.brief(), step.errors));
        }
        // Then the last warm-up rate until the API's JIT settled: its compiler threads catch up with the read path
        // about when the ladder begins, and a compile burst inside a 5 s step shows as that step's tail.
        int settleRate = WARM_UP[WARM_UP.length - 1];
        List<String> settleShares = new ArrayList<>();
        boolean jitSettled = false;
        for (int extra = 0; extra < MAX_SETTLE_STEPS && !jitSettled; extra++) {
            WarmUp.JitMeter jit = WarmUp.JitMeter.start(bench.services.api().pid());
            Step step = step(bench, load, token, PENDING_PATH, settleRate, stepSeconds);
            double share = jit.share();
            jitSettled = WarmUp.JitMeter.settled(share);
            settleShares.add(String.format(Locale.ROOT, "%.0f %%", share * 100));
            warmUp.add(step.describe());
            Progress.say(String.format(Locale.ROOT, "warm-up, pending-generations at %d/s until the JIT settles: %s, "
                    + "JIT %.0f %% of the API's CPU", settleRate, step.hist.brief(), share * 100));
        }
        warmUpBrief.append("; then ").append(Fmt.num(settleRate)).append(" req/s until the API's JIT compiler threads"
                        + " took at most ").append(WarmUp.SETTLED_JIT_PERCENT).append(" % of its CPU in a step (")
                .append(jitSettled ? "settled" : "still busy").append("; per step: ")
                .append(String.join(" → ", settleShares)).append(')');
        boolean refined = false;
        for (int index = 0; index < rates.size(); index++) {
            int rate = rates.get(index);
            Step step = step(bench, load, token, PENDING_PATH, rate, stepSeconds);
            steps.add(step.describe());
            Progress.say(String.format(Locale.ROOT, "pending-generations at %d/s: %s, %d errors, %s issued/s (%s)",
                    rate, step.hist.brief(), step.errors, Fmt.rate(step.issuedRate), step.passed ? "pass" : "FAIL"));
            if (step.passed) {
                if (rate > best) {
                    best = rate;
                    bestHist = step.hist;
                    bestCpu = step.cpu;
                    bestSeconds = step.seconds;
                }
                if (refined) {
                    break;
                }
                continue;
            }
            if (failedAt < 0 || rate < failedAt) {
                failedAt = rate;
                failedHist = step.hist;
            }
            if (refined && best > 0) {
                break;
            }
            // One step half-way between the last pass and the failure (or at half the rate when nothing passed).
            int between = best > 0 ? (int) (best + rate) / 2 : rate / 2;
            if ((best > 0 && rate - best < 500) || between < 50) {
                break;
            }
            rates = new ArrayList<>(rates.subList(0, index + 1));
            rates.add(between);
            refined = true;
        }
        boolean met = best >= CAPACITY_TARGET;
        // The generator alone: the same client and schedule against a trivial endpoint, at the rate that failed (or
        // the top of the ladder), so a failure can be told apart from a limit of the load generator on the same cores.
        int checkRate = failedAt > 0 ? failedAt : (int) best;
        Step generator = step(bench, load, null, "/q/health/live", checkRate, stepSeconds);
        Progress.say(String.format(Locale.ROOT, "generator check, /q/health/live at %d/s: %s, %d errors", checkRate,
                generator.hist.brief(), generator.errors));
        bench.results.row("4", "pending-generations capacity (same user: " + state + "): highest rate with"
                        + " p99 < 25 ms (steps of "
                        + Fmt.secs(stepSeconds) + ", open loop, " + ReadLoad.CONNECTIONS + " keep-alive connections)",
                (best > 0 ? Fmt.num((long) best) + " req/s (" + bestHist.brief() + ")" : "none of the steps passed")
                        + (failedHist != null ? "; at " + Fmt.num(failedAt) + " req/s: " + failedHist.brief() : "")
                        + (bestCpu != null ? "; CPU at " + Fmt.num((long) best) + "/s: "
                        + Bench.cpuShares(bestCpu, bestSeconds) : ""),
                "≥ 3,000 req/s with p99 < 25 ms", met);
        bench.results.row("4", "warm-up before those steps, not counted (a replica joining under load sees this): "
                        + "pending-generations for " + Fmt.secs(stepSeconds) + " at each rate", warmUpBrief.toString());
        bench.results.row("4", "load generator alone (same client, " + ReadLoad.CONNECTIONS + " keep-alive connections, "
                        + "open loop) against /q/health/live at " + Fmt.num(checkRate) + " req/s",
                generator.hist.brief() + "; " + Bench.cpuShares(generator.cpu, generator.seconds));
        bench.results.detail("4", "api", Maps.of("history_jobs", HISTORY, "seed_seconds", seedSeconds,
                "create", create.summary(), "status", status.summary(), "pending", pending.summary(),
                "errors", errors.get(), "pending_state_during_capacity_steps", state, "warm_up_steps", warmUp, "capacity_steps", steps, "capacity_req_per_second", best,
                "generator_check", generator.describe()));
    }

    private record Step(int rate, Hist hist, long errors, double issuedRate, double seconds, long late,
                        Map<String, Double> cpu, boolean passed) {
        Map<String, Object> describe() {
            return Maps.of("rate", rate, "latency", hist.summary(), "errors", errors, "issued_per_second",
                    issuedRate, "late_starts", late, "cpu_seconds", cpu, "passed", passed);
        }
    }

    private static Step step(Bench bench, ReadLoad load, String token, String path, int rate, double seconds)
            throws Exception {
        Hist hist = new Hist();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long measureFrom = start + 1_000_000_000L; // the first second warms up connections
        Progress.status(() -> String.format(Locale.ROOT, "%s at %d/s: %.0f/%.0f s, %d answered",
                path, rate, (System.nanoTime() - start) / 1e9, seconds + 1, hist.count()));
        Map<String, Double> cpuBefore = bench.cpu();
        OpenLoop.Outcome outcome = OpenLoop.run(rate, seconds + 1, MAX_OUTSTANDING, () -> false, (due, i, done) ->
                load.get(token, path).whenComplete((statusCode, failure) -> {
                    long now = System.nanoTime();
                    if (failure != null || statusCode != 200) {
                        errors.incrementAndGet();
                    } else if (due >= measureFrom) {
                        hist.recordNanos(now - due);
                    }
                    done.run();
                }));
        Map<String, Double> cpu = Bench.cpuBetween(cpuBefore, bench.cpu());
        double issued = outcome.issued() / outcome.seconds();
        boolean passed = hist.count() > 0 && hist.p99() < P99_TARGET_MS && errors.get() == 0
                && issued >= 0.95 * rate;
        return new Step(rate, hist, errors.get(), issued, outcome.seconds(), outcome.lateStarts(), cpu, passed);
    }

    private static void run(double rate, int seconds, OpenLoop.Request request) {
        try {
            OpenLoop.run(rate, seconds, MAX_OUTSTANDING, () -> false, request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void timed(ApiClient api, HttpRequest request, long due, Hist hist, AtomicLong errors,
                              Runnable done) {
        api.sendAsyncDiscarding(request).whenComplete((response, failure) -> {
            long now = System.nanoTime();
            if (failure != null || response.statusCode() != 200) {
                errors.incrementAndGet();
            } else {
                hist.recordNanos(now - due);
            }
            done.run();
        });
    }

    private static void acknowledge(ApiClient api, String token, UUID job) {
        try {
            HttpResponse<String> response = api.post(token, "/api/generation-job/" + job + "/auto-save", null);
            if (response.statusCode() == 409) {
                api.post(token, "/api/generation-job/" + job + "/seen", null);
            }
        } catch (Exception e) {
            // the next poll shows it again; not part of the measurement
        }
    }

    /**
     * 10,000 finished jobs with 2 looks and a charge each, all seen by the app except the 2 newest (so
     * pending-generations has "4 designs completed!" to announce); answers 2,000 of their ids.
     */
    private static List<UUID> seed(Bench bench, String user) throws Exception {
        try (Db db = bench.db()) {
            return db.with(c -> {
                c.setAutoCommit(false);
                try {
                    try (PreparedStatement s = c.prepareStatement("""
                            with s as (select gen_random_uuid() as id, g, now() - g * interval '3 minutes' as ts
                                         from generate_series(1, ?) g)
                            insert into generation_jobs (id, user_id, status, prompt, design_settings, image_count,
                                cost, original_image_key, original_content_type, result_image_keys, thumbnail_keys,
                                model, prompt_template_version, progress, attempt, auto_saved, seen_at, charged_at,
                                created_at, started_at, completed_at, updated_at)
                            select id, ?, 'completed', 'benchmark history ' || g,
                                   cast('{"shape":"almond","length":"medium","finish":"chrome","colors":["#f4e1d2"]}'
                                        as jsonb), 2, 2, 'originals/' || ? || '/' || id, 'image/jpeg',
                                   jsonb_build_array('results/' || ? || '/' || id || '/0.png',
                                                     'results/' || ? || '/' || id || '/1.png'),
                                   jsonb_build_array('results/' || ? || '/' || id || '/thumb-0.png',
                                                     'results/' || ? || '/' || id || '/thumb-1.png'),
                                   'benchmark-stand-in', 'benchmark-v1', 100, 1, true,
                                   case when g <= 2 then null else ts + interval '6 seconds' end,
                                   ts + interval '1 second', ts, ts + interval '1 second', ts + interval '5 seconds',
                                   ts + interval '6 seconds'
                              from s""")) {
                        s.setInt(1, HISTORY);
                        for (int i = 2; i <= 7; i++) {
                            s.setString(i, user);
                        }
                        s.executeUpdate();
                    }
                    try (PreparedStatement s = c.prepareStatement("""
                            insert into looks (id, user_id, job_id, image_index, image_key, thumbnail_key, prompt,
                                               design_settings, original_image_key, model, prompt_template_version,
                                               created_at)
                            select gen_random_uuid(), j.user_id, j.id, i, j.result_image_keys ->> i,
                                   j.thumbnail_keys ->> i, j.prompt, j.design_settings, j.original_image_key, j.model,
                                   j.prompt_template_version, j.completed_at
                              from generation_jobs j cross join generate_series(0, 1) i
                             where j.user_id = ? and j.prompt like 'benchmark history %'""")) {
                        s.setString(1, user);
                        s.executeUpdate();
                    }
                    try (PreparedStatement s = c.prepareStatement("""
                            insert into credit_ledger (user_id, job_id, kind, amount, note, created_at)
                            select user_id, id, 'charge', cost, 'generation started', started_at
                              from generation_jobs where user_id = ? and prompt like 'benchmark history %'""")) {
                        s.setString(1, user);
                        s.executeUpdate();
                    }
                    try (PreparedStatement s = c.prepareStatement("""
                            update credit_accounts set balance = balance - (select coalesce(sum(cost), 0)
                                     from generation_jobs where user_id = ? and prompt like 'benchmark history %'),
                                   updated_at = now()
                             where user_id = ?""")) {
                        s.setString(1, user);
                        s.setString(2, user);
                        if (s.executeUpdate() != 1) {
                            throw new java.sql.SQLException("no credit account for " + user);
                        }
                    }
                    c.commit();
                } catch (java.sql.SQLException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
                try (Statement s = c.createStatement()) {
                    s.execute("analyze generation_jobs");
                    s.execute("analyze looks");
                    s.execute("analyze credit_ledger");
                }
                List<UUID> ids = new ArrayList<>();
                try (PreparedStatement s = c.prepareStatement(
                        "select id from generation_jobs where user_id = ? order by random() limit 2000")) {
                    s.setString(1, user);
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getObject(1, UUID.class));
                        }
                    }
                }
                return ids;
            });
        }
    }
}
