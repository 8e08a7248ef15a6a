package dev.lacquer.benchmark.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lacquer.benchmark.ApiClient;
import dev.lacquer.benchmark.Bench;
import dev.lacquer.benchmark.Db;
import dev.lacquer.benchmark.Fmt;
import dev.lacquer.benchmark.JobTracker;
import dev.lacquer.benchmark.Maps;
import dev.lacquer.benchmark.OpenLoop;
import dev.lacquer.benchmark.Progress;
import dev.lacquer.benchmark.Services;
import dev.lacquer.benchmark.Stack;
import dev.lacquer.benchmark.Store;
import java.net.http.HttpResponse;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Scenario 6, fault soak: a steady stream of jobs for several minutes while Kafka is restarted (gracefully, then
 * with SIGKILL), PostgreSQL is restarted and the worker is SIGKILLed and started again. Afterwards, from the
 * database and the object store: every accepted job finished; one look per (job, image); the ledger audit
 * balanced; charges = jobs that started; no job left active past its lease. Each fault's recovery is timed.
 */
public final class FaultSoak implements Scenario {

    static final double RATE = 8;
    static final int USERS = 30;
    static final Duration LATENCY = Duration.ofSeconds(1);
    static final int CONCURRENCY = 64;
    /** A job active this long after its lease ran out counts as stuck (the sweep runs every 10 s). */
    static final int STUCK_GRACE_SECONDS = 20;

    /** One fault: when it was injected and when the server (or worker) was back. */
    static final class Fault {
        final String name;
        final double at;
        long injectedNanos;
        long backNanos;
        boolean ok = true;
        String detail = "";

        Fault(String name, double at) {
            this.name = name;
            this.at = at;
        }
    }

    @Override
    public String title() {
        return "fault soak";
    }

    @Override
    public void run(Bench bench) throws Exception {
        Services services = bench.services;
        Map<String, String> workerSettings = Services.workerSettings(LATENCY, CONCURRENCY);
        services.ensureApi(Services.apiDefaults());
        services.ensureWorker(workerSettings);
        ApiClient api = bench.api();
        List<String> users = bench.users("s6", USERS);
        List<String> tokens = api.tokens(users, 7200);
        String adminToken = api.token("admin-bench-" + bench.runId, 7200);
        String userPattern = "s6-" + bench.runId + "-%";
        int seconds = bench.options.soakSeconds();
        Stack stack = bench.stack;

        List<Fault> faults = List.of(new Fault("Kafka restart (graceful)", 0.12),
                new Fault("Kafka SIGKILL + start", 0.32), new Fault("PostgreSQL restart", 0.52),
                new Fault("worker SIGKILL + start", 0.72));
        Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
        AtomicLong maxStuck = new AtomicLong();
        AtomicBoolean streaming = new AtomicBoolean(true);
        try (JobTracker tracker = new JobTracker(bench.db(), 100); Db checker = bench.db()) {
            long start = System.nanoTime();
            Progress.status(() -> String.format(Locale.ROOT, "soak %.0f/%d s at %s jobs/s: %s accepted, %s finished,"
                    + " %d open; answers %s", (System.nanoTime() - start) / 1e9, seconds, Fmt.rate(RATE),
                    Fmt.num(tracker.jobs().size()), Fmt.num(tracker.terminal()), tracker.openCount(), answers));

            Thread faultThread = Thread.ofPlatform().name("faults").start(() -> {
                for (Fault fault : faults) {
                    try {
                        long due = start + (long) (fault.at * seconds * 1e9);
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000);
                        }
                        inject(fault, stack, services, workerSettings);
                        Progress.say(String.format(Locale.ROOT, "fault: %s — back after %.1f s%s", fault.name,
                                (fault.backNanos - fault.injectedNanos) / 1e9, fault.ok ? "" : " (" + fault.detail + ")"));
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        fault.ok = false;
                        fault.detail = e.toString();
                        fault.backNanos = System.nanoTime();
                    }
                }
            });
            Thread stuckThread = Thread.ofPlatform().daemon().name("stuck-sampler").start(() -> {
                try (Db db = bench.db()) {
                    while (streaming.get()) {
                        try {
                            maxStuck.accumulateAndGet(stuck(db, userPattern), Math::max);
                        } catch (Exception e) {
                            // PostgreSQL may be down right now
                        }
                        Thread.sleep(5000);
                    }
                } catch (InterruptedException ignored) {
                    // done
                }
            });

            OpenLoop.Outcome outcome = OpenLoop.run(RATE, seconds, 5000, () -> false, (due, i, done) -> {
                int u = (int) (i % USERS);
                api.createAsync(tokens.get(u)).whenComplete((answer, failure) -> {
                    String key = answer == null ? "error" : answer.status() == -1 ? "network error"
                            : Integer.toString(answer.status());
                    answers.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
                    if (answer != null && answer.accepted()) {
                        tracker.track(answer.jobId(), users.get(u), answer.answeredAt(), answer.answeredNanos());
                    }
                    done.run();
                });
            });
            faultThread.join();
            long streamEnd = System.nanoTime();
            Progress.status(() -> String.format(Locale.ROOT, "stream over; waiting for %d jobs to finish (%.0f s)",
                    tracker.openCount(), (System.nanoTime() - streamEnd) / 1e9));
            boolean allFinished = tracker.awaitAll(300_000);
            double drainSeconds = (System.nanoTime() - streamEnd) / 1e9;
            streaming.set(false);
            stuckThread.interrupt();
            stuckThread.join(5000);
            Progress.say("all accepted jobs finished: " + allFinished + " (" + Fmt.secs(drainSeconds)
                    + " after the stream ended)");

            // ---- recovery times ----
            List<Map<String, Object>> recoveries = new ArrayList<>();
            for (Fault fault : faults) {
                double outage = (fault.backNanos - fault.injectedNanos) / 1e9;
                long lastAffected = 0;
                long firstCompletionAfter = Long.MAX_VALUE;
                int affected = 0;
                for (JobTracker.Job job : tracker.jobs()) {
                    boolean openAtFault = job.acceptedNanos <= fault.backNanos
                            && (!job.terminal() || job.terminalNanos > fault.injectedNanos);
                    if (openAtFault) {
                        affected++;
                        lastAffected = Math.max(lastAffected, job.terminal() ? job.terminalNanos : Long.MAX_VALUE);
                    }
                    if (job.terminal() && job.terminalNanos > fault.backNanos && "completed".equals(job.status)) {
                        firstCompletionAfter = Math.min(firstCompletionAfter, job.terminalNanos);
                    }
                }
                double recovery = lastAffected == Long.MAX_VALUE ? Double.NaN
                        : Math.max(0, (lastAffected - fault.backNanos) / 1e9);
                double firstAfter = firstCompletionAfter == Long.MAX_VALUE ? Double.NaN
                        : (firstCompletionAfter - fault.backNanos) / 1e9;
                bench.results.row("6", fault.name + ": down → back; then until every job accepted before it was "
                                + "back had finished",
                        String.format(Locale.ROOT, "back after %s; %d jobs affected, all finished %s later (first "
                                + "completion %s after)%s", Fmt.secs(outage), affected, Fmt.secs(recovery),
                                Fmt.secs(firstAfter), fault.ok ? "" : "; fault step failed: " + fault.detail));
                recoveries.add(Maps.of("fault", fault.name, "at_seconds", (fault.injectedNanos - start) / 1e9,
                        "outage_seconds", outage, "affected_jobs", affected, "all_affected_finished_after_back_seconds",
                        recovery, "first_completion_after_back_seconds", firstAfter, "ok", fault.ok,
                        "detail", fault.detail));
            }

            // ---- checks from the database and the object store ----
            Map<String, Object> checks = new LinkedHashMap<>();
            long accepted = tracker.jobs().size();
            long dbJobs = checker.count("select count(*) from generation_jobs where user_id like ?", userPattern);
            long notFinished = checker.count("select count(*) from generation_jobs where user_id like ? and status"
                    + " not in ('completed', 'failed', 'canceled')", userPattern);
            Map<String, Long> byStatus = new LinkedHashMap<>();
            for (String status : List.of("completed", "failed", "canceled")) {
                byStatus.put(status, checker.count("select count(*) from generation_jobs where user_id like ? and"
                        + " status = ?", userPattern, status));
            }
            boolean finishedOk = allFinished && notFinished == 0 && dbJobs >= accepted;
            bench.results.row("6", "Jobs: " + Fmt.num(outcome.issued()) + " creates at " + Fmt.rate(RATE) + "/s over "
                    + seconds + " s (generator " + LATENCY.toMillis() + " ms, 2 images); answers " + answers,
                    Fmt.num(accepted) + " accepted, " + Fmt.num(dbJobs) + " in the database: " + byStatus
                            + ", not finished " + notFinished, "every accepted job finished", finishedOk);
            checks.put("accepted", accepted);
            checks.put("jobs_in_db", dbJobs);
            checks.put("by_status", byStatus);
            checks.put("not_finished", notFinished);

            long looksWrong = checker.count("""
                    select count(*) from generation_jobs j
                     where j.user_id like ?
                       and (select count(*) from looks l where l.job_id = j.id)
                           <> case when j.status = 'completed' then j.image_count else 0 end
                        or j.user_id like ? and j.status = 'completed'
                       and (select count(distinct l.image_index) from looks l where l.job_id = j.id
                             and l.image_index between 0 and j.image_count - 1) <> j.image_count""",
                    userPattern, userPattern);
            bench.results.row("6", "Looks: exactly one per (job, image) of every completed job, none for others",
                    looksWrong == 0 ? "all " + byStatus.get("completed") + " completed jobs right"
                            : looksWrong + " jobs wrong", "0 wrong", looksWrong == 0);
            checks.put("jobs_with_wrong_looks", looksWrong);

            long[] store = objectStoreCheck(bench, checker, users, userPattern);
            bench.results.row("6", "Object store: every look's image and thumbnail and every completed job's manifest"
                    + " present", store[1] == 0 ? "all " + Fmt.num(store[0]) + " objects present"
                    : store[1] + " of " + store[0] + " missing", "0 missing", store[1] == 0);
            checks.put("objects_checked", store[0]);
            checks.put("objects_missing", store[1]);

            HttpResponse<String> audit = api.get(adminToken, "/api/admin/ledger-audit");
            JsonNode auditJson = audit.statusCode() == 200 ? ApiClient.JSON.readTree(audit.body()) : null;
            boolean balanced = auditJson != null && auditJson.path("balanced").asBoolean(false);
            long balanceWrong = checker.count("""
                    select count(*) from credit_accounts a
                     where a.user_id like ?
                       and a.balance <> (select coalesce(sum(case l.kind when 'grant' then l.amount
                                              when 'charge' then -l.amount else l.amount end), 0)
                                           from credit_ledger l where l.user_id = a.user_id)""", userPattern);
            long chargesWithoutStart = checker.count("""
                    select count(*) from credit_ledger l join generation_jobs j on j.id = l.job_id
                     where j.user_id like ? and l.kind = 'charge' and j.started_at is null""", userPattern);
            long startsWithoutCharge = checker.count("""
                    select count(*) from generation_jobs j where j.user_id like ? and j.started_at is not null
                       and j.cost > 0 and not exists (select 1 from credit_ledger l where l.job_id = j.id
                                                      and l.kind = 'charge')""", userPattern);
            long charges = checker.count("select count(*) from credit_ledger l join generation_jobs j on j.id ="
                    + " l.job_id where j.user_id like ? and l.kind = 'charge'", userPattern);
            long started = checker.count("select count(*) from generation_jobs where user_id like ? and started_at"
                    + " is not null and cost > 0", userPattern);
            long refundsOfCompleted = checker.count("select count(*) from credit_ledger l join generation_jobs j on"
                    + " j.id = l.job_id where j.user_id like ? and l.kind = 'refund' and j.status = 'completed'",
                    userPattern);
            boolean ledgerOk = balanced && balanceWrong == 0 && chargesWithoutStart == 0 && startsWithoutCharge == 0
                    && charges == started && refundsOfCompleted == 0;
            bench.results.row("6", "Ledger: audit endpoint balanced; per user balance = grants − charges + refunds; "
                            + "charges = jobs that started; no refund of a completed job",
                    String.format(Locale.ROOT, "audit %s%s; %d balances wrong; %s charges for %s started jobs; %d "
                                    + "refunds of completed jobs", balanced ? "balanced" : "NOT balanced",
                            auditJson == null ? " (HTTP " + audit.statusCode() + ")"
                                    : auditJson.path("violations").size() > 0 ? " " + auditJson.path("violations") : "",
                            balanceWrong, Fmt.num(charges), Fmt.num(started), refundsOfCompleted),
                    "all hold", ledgerOk);
            checks.put("audit", auditJson == null ? "HTTP " + audit.statusCode() : auditJson);
            checks.put("balances_wrong", balanceWrong);
            checks.put("charges", charges);
            checks.put("started_jobs", started);
            checks.put("charges_without_start", chargesWithoutStart);
            checks.put("starts_without_charge", startsWithoutCharge);
            checks.put("refunds_of_completed", refundsOfCompleted);

            long stuckNow = stuck(checker, userPattern);
            boolean stuckOk = maxStuck.get() == 0 && stuckNow == 0;
            bench.results.row("6", "No job left active more than " + STUCK_GRACE_SECONDS + " s past its lease "
                    + "(sampled every 5 s during the soak, and at the end)", "max " + maxStuck.get()
                    + " during, " + stuckNow + " at the end", "0", stuckOk);
            checks.put("max_stuck_during", maxStuck.get());
            checks.put("stuck_at_end", stuckNow);
            bench.results.detail("6", "soak", Maps.of("seconds", seconds, "rate", RATE, "users", USERS,
                    "latency_ms", LATENCY.toMillis(), "worker_concurrency", CONCURRENCY, "answers", answers,
                    "drain_seconds", drainSeconds, "recoveries", recoveries, "checks", checks,
                    "tracker_poll_errors", tracker.pollErrors()));
        }
    }

    private static void inject(Fault fault, Stack stack, Services services, Map<String, String> workerSettings)
            throws Exception {
        fault.injectedNanos = System.nanoTime();
        Stack.Outcome down;
        Stack.Outcome up;
        switch (fault.name) {
            case "Kafka restart (graceful)" -> {
                down = stack.stopOne("kafka");
                up = stack.startOne("kafka");
            }
            case "Kafka SIGKILL + start" -> {
                down = stack.killOne("kafka");
                up = stack.startOne("kafka");
            }
            case "PostgreSQL restart" -> {
                down = stack.stopOne("postgres");
                up = stack.startOne("postgres");
            }
            default -> {
                services.killWorker();
                services.startWorker(workerSettings);
                fault.backNanos = System.nanoTime();
                return;
            }
        }
        fault.backNanos = System.nanoTime();
        if (!down.ok() || !up.ok()) {
            fault.ok = false;
            fault.detail = "stop: " + down.exitCode() + ", start: " + up.exitCode() + " " + up.output()
                    .lines().reduce((a, b) -> b).orElse("");
        }
    }

    /** Active jobs of the soak whose lease ran out more than the grace ago. */
    private static long stuck(Db db, String userPattern) throws java.sql.SQLException {
        return db.count("select count(*) from generation_jobs where user_id like ? and status in ('pending',"
                + " 'processing') and lease_expires_at < now() - make_interval(secs => ?)", userPattern,
                STUCK_GRACE_SECONDS);
    }

    /** Lists each soak user's results and checks every look's objects and every completed job's manifest. */
    private static long[] objectStoreCheck(Bench bench, Db db, List<String> users, String userPattern)
            throws Exception {
        Map<String, String> infra = bench.infra();
        String bucket = infra.getOrDefault("S3_BUCKET", "lacquer");
        Set<String> keys = new HashSet<>();
        try (S3Client s3 = Store.client(infra)) {
            for (String user : users) {
                keys.addAll(Store.keys(s3, bucket, "results/" + user + "/"));
            }
        }
        List<String> wanted = new ArrayList<>();
        db.with(c -> {
            try (PreparedStatement s = c.prepareStatement("select l.image_key, l.thumbnail_key from looks l join"
                    + " generation_jobs j on j.id = l.job_id where j.user_id like ?")) {
                s.setString(1, userPattern);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        wanted.add(rs.getString(1));
                        if (rs.getString(2) != null) {
                            wanted.add(rs.getString(2));
                        }
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("select user_id, id from generation_jobs where user_id like ?"
                    + " and status = 'completed'")) {
                s.setString(1, userPattern);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        wanted.add("results/" + rs.getString(1) + "/" + rs.getString(2) + "/manifest.json");
                    }
                }
            }
            return null;
        });
        long missing = wanted.stream().filter(key -> !keys.contains(key)).count();
        return new long[] {wanted.size(), missing};
    }
}
