package dev.lacquer.benchmark.scenario;

import dev.lacquer.benchmark.Bench;
import dev.lacquer.benchmark.Db;
import dev.lacquer.benchmark.Fmt;
import dev.lacquer.benchmark.Hist;
import dev.lacquer.benchmark.Progress;
import dev.lacquer.benchmark.Stack;
import dev.lacquer.benchmark.Store;
import dev.lacquer.objectstore.ObjectStoreClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Scenario 0, the ceiling: each piece of infrastructure alone (the services stopped), doing what one job needs.
 * Kafka: produce and consume rates (Kafka's own ProducerPerformance and ConsumerPerformance; a job of 2 images is
 * 4 records: the request, started, the progress after its first image, completed). PostgreSQL: the transactions the services issue for one job, with
 * their SQL, on the real schema (Flyway's migration files applied to a scratch schema). Object store: the writes
 * and reads of one job at the sizes the benchmark writes.
 */
public final class Ceiling implements Scenario {

    static final int RECORD_SIZE = 500;
    /** The worker reports progress after each image but the last: one report for the benchmark's 2 images. */
    static final int PROGRESS_PER_JOB = 1;
    static final int RECORDS_PER_JOB = 3 + PROGRESS_PER_JOB;
    static final int PG_CONNECTIONS = 8;
    static final int S3_THREADS = 8;
    static final int USERS = 1000;
    static final String SCHEMA = "bench_ceiling";
    static final int RESULT_PNG_SIZE = 256;

    @Override
    public String title() {
        return "ceiling: each piece of infrastructure alone";
    }

    @Override
    public void run(Bench bench) throws Exception {
        bench.services.close();
        double phase = Math.max(4, bench.options.duration() / 5.0);
        Map<String, Double> perJobSeconds = new LinkedHashMap<>();

        // --- Kafka ---------------------------------------------------------------------------------------------
        double[] kafka = kafka(bench);
        double produce = kafka[0];
        double consume = kafka[1];
        perJobSeconds.put("kafka produce", RECORDS_PER_JOB / produce);
        perJobSeconds.put("kafka consume", RECORDS_PER_JOB / consume);

        // --- PostgreSQL ----------------------------------------------------------------------------------------
        double pgJobs = postgres(bench, phase);
        perJobSeconds.put("postgresql", 1 / pgJobs);

        // --- object store --------------------------------------------------------------------------------------
        // A longer window than the other phases: in 4 s one stall of s3proxy (its GC, the disk) halved the figure
        // (122-125 against 208-248 jobs/s in other runs, while it cost the same per job inside the loop).
        double s3Jobs = objectStore(bench, Math.max(10, bench.options.duration() / 2.0));
        perJobSeconds.put("object store", 1 / s3Jobs);

        Map<String, Double> componentJobs = new LinkedHashMap<>();
        componentJobs.put("Kafka produce", produce / RECORDS_PER_JOB);
        componentJobs.put("Kafka consume", consume / RECORDS_PER_JOB);
        componentJobs.put("PostgreSQL", pgJobs);
        componentJobs.put("object store", s3Jobs);
        String slowest = Collections.min(componentJobs.entrySet(), Map.Entry.comparingByValue()).getKey();
        double ceiling = componentJobs.get(slowest);
        double sum = perJobSeconds.values().stream().mapToDouble(Double::doubleValue).sum();
        double shared = 1 / sum;
        bench.ceilingJobsPerSecond = ceiling;
        bench.ceilingComponent = slowest;
        StringBuilder costs = new StringBuilder();
        for (Map.Entry<String, Double> entry : perJobSeconds.entrySet()) {
            costs.append(costs.isEmpty() ? "" : " + ").append(entry.getKey()).append(' ')
                    .append(Fmt.ms(entry.getValue() * 1000));
        }
        bench.results.row("0", "Ceiling: slowest component alone (jobs/s each component could carry: "
                        + componentJobs.entrySet().stream().map(e -> e.getKey() + " " + Fmt.rate(e.getValue()))
                        .reduce((a, b) -> a + ", " + b).orElse("") + ")",
                Fmt.rate(ceiling) + " jobs/s (" + slowest + ")");
        bench.results.row("0", "Per-job infrastructure cost (ms of the saturated machine per job)",
                costs + " = " + Fmt.ms(sum * 1000) + " ms → " + Fmt.rate(shared)
                        + " jobs/s if the components share the cores");
        bench.results.detail("0", "component_jobs_per_second", componentJobs);
        bench.results.detail("0", "per_job_seconds", perJobSeconds);
        bench.results.detail("0", "ceiling_jobs_per_second", ceiling);
        bench.results.detail("0", "shared_cores_jobs_per_second", shared);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Kafka

    private static final Pattern PRODUCED = Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec .*?"
            + "([\\d.]+) ms avg latency, ([\\d.]+) ms max latency, (\\d+) ms 50th, (\\d+) ms 95th, (\\d+) ms 99th");

    private double[] kafka(Bench bench) {
        Stack stack = bench.stack;
        String bootstrap = bench.kafka();
        long records = Math.max(200_000L, 15_000L * bench.options.duration());
        Progress.status(() -> "Kafka: ProducerPerformance, " + Fmt.num(records) + " records of " + RECORD_SIZE + " B");
        Stack.Outcome topic = stack.kafkaTool(90, "org.apache.kafka.tools.TopicCommand", "--bootstrap-server",
                bootstrap, "--create", "--if-not-exists", "--topic", "bench.ceiling", "--partitions", "6",
                "--replication-factor", "1");
        if (!topic.ok()) {
            throw new IllegalStateException("creating topic bench.ceiling failed: " + topic.output());
        }
        Stack.Outcome produced = stack.kafkaTool(600, "org.apache.kafka.tools.ProducerPerformance", "--topic",
                "bench.ceiling", "--num-records", Long.toString(records), "--record-size",
                Integer.toString(RECORD_SIZE), "--throughput", "-1", "--producer-props",
                "bootstrap.servers=" + bootstrap, "acks=all");
        Matcher m = null;
        for (String line : produced.output().split("\n")) {
            Matcher candidate = PRODUCED.matcher(line);
            if (candidate.find()) {
                m = candidate;
            }
        }
        if (!produced.ok() || m == null) {
            throw new IllegalStateException("ProducerPerformance failed: " + tail(produced.output()));
        }
        double produceRate = Double.parseDouble(m.group(2));
        String produceLatency = "p50 " + m.group(5) + " / p99 " + m.group(7) + " ms";
        Progress.say("Kafka produce: " + Fmt.rate(produceRate) + " records/s (" + produceLatency + ")");

        Progress.status(() -> "Kafka: ConsumerPerformance, " + Fmt.num(records) + " records");
        Stack.Outcome consumed = stack.kafkaTool(600, "org.apache.kafka.tools.ConsumerPerformance",
                "--bootstrap-server", bootstrap, "--topic", "bench.ceiling", "--messages", Long.toString(records),
                "--timeout", "30000", "--group", "bench-ceiling-" + bench.runId);
        double consumeRate = Double.NaN;
        for (String line : consumed.output().split("\n")) {
            String[] fields = line.split(",\\s*");
            if (fields.length >= 10 && fields[0].matches("\\d{4}-.*")) {
                consumeRate = Double.parseDouble(fields[9]);
            }
        }
        if (!consumed.ok() || Double.isNaN(consumeRate)) {
            throw new IllegalStateException("ConsumerPerformance failed: " + tail(consumed.output()));
        }
        Progress.say("Kafka consume: " + Fmt.rate(consumeRate) + " records/s");
        bench.results.row("0", "Kafka produce, acks=all, " + RECORD_SIZE + " B records, " + Fmt.num(records)
                + " records (ProducerPerformance)", Fmt.rate(produceRate) + " records/s (send→ack " + produceLatency
                + " under full load)");
        bench.results.row("0", "Kafka consume, same records (ConsumerPerformance, fetch rate)",
                Fmt.rate(consumeRate) + " records/s");
        bench.results.detail("0", "kafka", Map.of("records", records, "record_size", RECORD_SIZE,
                "produce_records_per_second", produceRate, "consume_records_per_second", consumeRate,
                "producer_output", m.group(0), "records_per_job", RECORDS_PER_JOB));
        return new double[] {produceRate, consumeRate};
    }

    private static String tail(String text) {
        String[] lines = text.split("\n");
        return String.join(" | ", List.of(lines).subList(Math.max(0, lines.length - 5), lines.length));
    }

    // ------------------------------------------------------------------------------------------------------------
    // PostgreSQL

    /** One transaction (or a short sequence of them) on a connection. */
    @FunctionalInterface
    interface Tx {
        void run(Connection c, int worker, long iteration) throws SQLException;
    }

    record Measured(long count, double seconds, Hist hist) {
        double rate() {
            return count / seconds;
        }
    }

    private record JobRef(UUID id, String user) {
    }

    private double postgres(Bench bench, double phase) throws Exception {
        Progress.status(() -> "PostgreSQL: preparing schema " + SCHEMA + " from the Flyway migrations");
        try (Db admin = bench.db()) {
            admin.with(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("drop schema if exists " + SCHEMA + " cascade");
                    s.execute("create schema " + SCHEMA);
                    s.execute("set search_path to " + SCHEMA);
                    for (Path file : migrations(bench.options.repo())) {
                        s.execute(Files.readString(file));
                    }
                    s.execute("insert into credit_accounts (user_id, balance, created_at, updated_at) "
                            + "select 'ceiling-u' || g, 1000000000, now(), now() from generate_series(0, "
                            + (USERS - 1) + ") g");
                    s.execute("reset search_path");
                } catch (java.io.IOException e) {
                    throw new SQLException(e);
                }
                return null;
            });
        }
        ConcurrentLinkedQueue<JobRef> created = new ConcurrentLinkedQueue<>();
        String payload = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"GenerationRequested\","
                + "\"prompt\":\"glazed donut chrome with tiny pearls\"," + "x".repeat(520) + "}";

        Measured create = phase(bench, "create (rate window + limits, then locked re-check + job and outbox insert)",
                PG_CONNECTIONS, phase, (c, w, i) -> {
                    String user = "ceiling-u" + ThreadLocalRandom.current().nextInt(USERS);
                    created.add(new JobRef(createJob(c, user, payload), user));
                });
        Measured settling = settling(bench);
        List<JobRef> jobs = new ArrayList<>(created);
        Collections.shuffle(jobs);
        List<JobRef> parallel = jobs.subList(0, jobs.size() * 2 / 3);
        List<JobRef> serial = jobs.subList(jobs.size() * 2 / 3, jobs.size());
        Measured started = phase(bench, "started event (dedup row, job lock, status, charge)", PG_CONNECTIONS, phase,
                (c, w, i) -> started(c, pick(parallel, w, i)));
        Measured progress = phase(bench, "progress event (dedup row, job lock, progress and lease)", PG_CONNECTIONS,
                phase, (c, w, i) -> progress(c, pick(parallel, w, i)));
        Measured completed = phase(bench, "completed event (dedup row, job lock, status, 2 looks)", PG_CONNECTIONS,
                phase, (c, w, i) -> completed(c, pick(parallel, w, i)));
        Measured serialEvents = phase(bench, "the events of one job on 1 connection", 1, phase, (c, w, i) -> {
            JobRef job = serial.get((int) (i % serial.size()));
            started(c, job);
            for (int p = 0; p < PROGRESS_PER_JOB; p++) {
                progress(c, job);
            }
            completed(c, job);
        });
        try (Db admin = bench.db()) {
            admin.with(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("drop schema if exists " + SCHEMA + " cascade");
                }
                return null;
            });
        }
        double perJob = 1 / create.rate() + 1 / settling.rate() + 1 / started.rate() + PROGRESS_PER_JOB / progress.rate()
                + 1 / completed.rate();
        double jobsPerSecond = 1 / perJob;
        String conns = ", " + PG_CONNECTIONS + " connections";
        bench.results.row("0", "PostgreSQL create: rate-window upsert + credit summary + active jobs, then lock account "
                + "+ re-check + job row + outbox row (2 transactions, the first committed without waiting for the disk)"
                + conns, Fmt.rate(create.rate()) + " creates/s (p99 "
                + Fmt.ms(create.hist().p99()) + " ms)");
        bench.results.row("0", "PostgreSQL outbox settling (the rows were claimed when written; delete 200 acknowledged,"
                + " set their pick-up lease: 1 transaction, committed without waiting for the disk), 1 connection",
                Fmt.rate(settling.rate()) + " rows/s");
        bench.results.row("0", "PostgreSQL started / progress / completed (+2 looks) event transactions" + conns,
                Fmt.rate(started.rate()) + " / " + Fmt.rate(progress.rate()) + " / " + Fmt.rate(completed.rate())
                        + " per s");
        bench.results.row("0", "PostgreSQL per job (create + settling + started + " + PROGRESS_PER_JOB + " progress + completed)" + conns,
                Fmt.rate(jobsPerSecond) + " jobs/s");
        bench.results.row("0", "PostgreSQL: the " + (2 + PROGRESS_PER_JOB) + " event transactions of a job on ONE connection, one at a time "
                + "(the API's event consumer now applies a poll's events in one transaction)", Fmt.rate(serialEvents.rate()) + " jobs/s");
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("create", summary(create));
        detail.put("outbox_settling_rows", summary(settling));
        detail.put("started", summary(started));
        detail.put("progress", summary(progress));
        detail.put("completed", summary(completed));
        detail.put("serial_events_per_job", summary(serialEvents));
        detail.put("jobs_per_second", jobsPerSecond);
        detail.put("connections", PG_CONNECTIONS);
        bench.results.detail("0", "postgresql", detail);
        return jobsPerSecond;
    }

    private static Map<String, Object> summary(Measured measured) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("count", measured.count());
        map.put("seconds", Fmt.round(measured.seconds(), 2));
        map.put("per_second", Fmt.round(measured.rate(), 1));
        map.put("latency", measured.hist().summary());
        return map;
    }

    private static JobRef pick(List<JobRef> jobs, int worker, long iteration) {
        // Each connection works on its own jobs, so no two lock the same row.
        int slice = jobs.size() / PG_CONNECTIONS;
        return jobs.get(worker * slice + (int) (iteration % Math.max(1, slice)));
    }

    private static List<Path> migrations(Path repo) throws java.io.IOException {
        Path dir = repo.resolve("api-service/src/main/resources/db/migration");
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql"))
                    .sorted((a, b) -> Integer.compare(version(a), version(b))).toList();
        }
    }

    private static int version(Path file) {
        String name = file.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }

    private Measured phase(Bench bench, String name, int connections, double seconds, Tx tx) throws Exception {
        AtomicLong count = new AtomicLong();
        Hist hist = new Hist();
        double warmup = 1.0;
        Progress.status(() -> "PostgreSQL " + name + ": " + Fmt.num(count.get()) + " done");
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmup * 1e9);
        long end = measureFrom + (long) (seconds * 1e9);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        for (int w = 0; w < connections; w++) {
            int worker = w;
            threads.add(Thread.ofPlatform().name("pg-" + w).start(() -> {
                try (Db db = bench.db()) {
                    Connection c = db.connection();
                    try (Statement s = c.createStatement()) {
                        s.execute("set search_path to " + SCHEMA);
                    }
                    c.setAutoCommit(false);
                    long i = 0;
                    long now;
                    while ((now = System.nanoTime()) < end) {
                        tx.run(c, worker, i++);
                        long done = System.nanoTime();
                        if (now >= measureFrom) {
                            count.incrementAndGet();
                            hist.recordNanos(done - now);
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException("PostgreSQL " + name + ": " + errors.getFirst(), errors.getFirst());
        }
        Measured measured = new Measured(count.get(), seconds, hist);
        Progress.say(String.format(Locale.ROOT, "PostgreSQL %s: %s/s (%s)", name, Fmt.rate(measured.rate()),
                hist.brief()));
        return measured;
    }

    /**
     * The settling of acknowledged requests, as the API's after-commit sends do it (a new job's row is written claimed,
     * so there is no claim transaction): delete the rows and start the jobs' pick-up clock, 200 rows a transaction.
     * Reading which rows to settle stands for the records the API holds in memory, so it is not timed.
     */
    private Measured settling(Bench bench) throws Exception {
        Hist hist = new Hist();
        long rows = 0;
        long settlingNanos = 0;
        try (Db db = bench.db()) {
            Connection c = db.connection();
            try (Statement s = c.createStatement()) {
                s.execute("set search_path to " + SCHEMA);
            }
            c.setAutoCommit(false);
            while (true) {
                List<Long> ids = new ArrayList<>();
                List<UUID> jobs = new ArrayList<>();
                try (PreparedStatement acknowledged = c.prepareStatement(
                        "select id, message_key from outbox order by id limit 200")) {
                    try (ResultSet rs = acknowledged.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getLong(1));
                            jobs.add(UUID.fromString(rs.getString(2)));
                        }
                    }
                }
                c.commit();
                if (ids.isEmpty()) {
                    break;
                }
                long t = System.nanoTime();
                asyncCommit(c); // as the API settles: a lost settle only sends the rows again
                try (PreparedStatement delete = c.prepareStatement("delete from outbox where id = any(?)")) {
                    delete.setArray(1, c.createArrayOf("bigint", ids.toArray()));
                    delete.executeUpdate();
                }
                try (PreparedStatement lease = c.prepareStatement("update generation_jobs set lease_expires_at = ?"
                        + " where id = any(?) and status = 'pending'")) {
                    lease.setTimestamp(1, Timestamp.from(Instant.now().plusSeconds(120)));
                    lease.setArray(2, c.createArrayOf("uuid", jobs.toArray()));
                    lease.executeUpdate();
                }
                c.commit();
                long took = System.nanoTime() - t;
                settlingNanos += took;
                rows += ids.size();
                hist.recordNanos(took);
            }
        }
        Measured measured = new Measured(rows, settlingNanos / 1e9, hist);
        Progress.say("PostgreSQL outbox settling: " + Fmt.rate(measured.rate()) + " rows/s");
        return measured;
    }

    private static UUID createJob(Connection c, String user, String payload) throws SQLException {
        Timestamp now = Timestamp.from(Instant.now());
        // 1. before the photo upload, one transaction: the per-user create rate window, the credit summary, active jobs;
        // its commit does not wait for the disk (only a count)
        asyncCommit(c);
        try (PreparedStatement s = c.prepareStatement("insert into rate_windows (user_id, action, window_start, hits)"
                + " values (?, 'create', ?, 1) on conflict (user_id, action, window_start)"
                + " do update set hits = rate_windows.hits + 1 returning hits")) {
            s.setString(1, user);
            s.setTimestamp(2, Timestamp.from(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES)));
            s.executeQuery().close();
        }
        ensureAccount(c, user, now);
        balance(c, user, false);
        reserved(c, user);
        activeJobs(c, user);
        c.commit();
        // 2. after the upload, under the account lock: credits and active jobs again, the job row and its outbox row
        ensureAccount(c, user, now);
        balance(c, user, true);
        reserved(c, user);
        activeJobs(c, user);
        UUID id = UUID.randomUUID();
        try (PreparedStatement s = c.prepareStatement("insert into generation_jobs (id, user_id, status, prompt,"
                + " design_settings, image_count, cost, original_image_key, original_content_type, progress, attempt,"
                + " auto_saved, created_at, updated_at) values (?, ?, 'pending', ?, cast(? as jsonb), 2, 2, ?,"
                + " 'image/jpeg', 0, 1, false, ?, ?)")) {
            s.setObject(1, id);
            s.setString(2, user);
            s.setString(3, "glazed donut chrome with tiny pearls");
            s.setString(4, "{\"shape\":\"almond\",\"length\":\"medium\",\"finish\":\"chrome\","
                    + "\"colors\":[\"#f4e1d2\",\"#c0c0ff\"],\"style\":null}");
            s.setString(5, "originals/" + user + "/" + id);
            s.setTimestamp(6, now);
            s.setTimestamp(7, now);
            s.executeUpdate();
        }
        // Written claimed for the replica that sends it at the commit.
        try (PreparedStatement s = c.prepareStatement("insert into outbox (event_id, topic, message_key, event_type,"
                + " payload, created_at, claimed_until) values (?, 'generation.requests', ?, 'GenerationRequested', ?, ?,"
                + " now() + interval '60 seconds')")) {
            s.setObject(1, UUID.randomUUID());
            s.setString(2, id.toString());
            s.setString(3, payload);
            s.setTimestamp(4, now);
            s.executeUpdate();
        }
        c.commit();
        return id;
    }

    /** The rest of this transaction commits without waiting for the WAL flush, as the API's do where nothing is lost. */
    private static void asyncCommit(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("set local synchronous_commit to off")) {
            s.execute();
        }
    }

    private static void activeJobs(Connection c, String user) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select count(*) from generation_jobs where user_id = ?"
                + " and status in ('pending', 'processing')")) {
            s.setString(1, user);
            s.executeQuery().close();
        }
    }

    private static void ensureAccount(Connection c, String user, Timestamp now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("insert into credit_accounts (user_id, balance, created_at,"
                + " updated_at) values (?, 0, ?, ?) on conflict (user_id) do nothing")) {
            s.setString(1, user);
            s.setTimestamp(2, now);
            s.setTimestamp(3, now);
            s.executeUpdate();
        }
    }

    private static void balance(Connection c, String user, boolean forUpdate) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select balance from credit_accounts where user_id = ?"
                + (forUpdate ? " for update" : ""))) {
            s.setString(1, user);
            s.executeQuery().close();
        }
    }

    private static void reserved(Connection c, String user) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select coalesce(sum(cost), 0) from generation_jobs"
                + " where user_id = ? and status in ('pending', 'processing') and charged_at is null")) {
            s.setString(1, user);
            s.executeQuery().close();
        }
    }

    /** The dedup row and the job's row lock every event transaction starts with. */
    private static void dedupAndLock(Connection c, JobRef job, String type) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("insert into processed_events (event_id, job_id, event_type,"
                + " processed_at) values (?, ?, ?, ?) on conflict (event_id) do nothing")) {
            s.setObject(1, UUID.randomUUID());
            s.setObject(2, job.id());
            s.setString(3, type);
            s.setTimestamp(4, Timestamp.from(Instant.now()));
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("select * from generation_jobs where id = ? for update")) {
            s.setObject(1, job.id());
            s.executeQuery().close();
        }
    }

    private static void charge(Connection c, JobRef job) throws SQLException {
        int inserted;
        try (PreparedStatement s = c.prepareStatement("insert into credit_ledger (user_id, job_id, kind, amount, note,"
                + " created_at) select ?, ?, 'charge', 2, 'generation started', ? where 2 > 0"
                + " on conflict (job_id, kind) where kind in ('charge', 'refund') do nothing")) {
            s.setString(1, job.user());
            s.setObject(2, job.id());
            s.setTimestamp(3, Timestamp.from(Instant.now()));
            inserted = s.executeUpdate();
        }
        if (inserted == 1) {
            try (PreparedStatement s = c.prepareStatement("update credit_accounts set balance = balance + ?,"
                    + " updated_at = ? where user_id = ?")) {
                s.setLong(1, -2);
                s.setTimestamp(2, Timestamp.from(Instant.now()));
                s.setString(3, job.user());
                s.executeUpdate();
            }
        }
    }

    private static void started(Connection c, JobRef job) throws SQLException {
        dedupAndLock(c, job, "GenerationStarted");
        Timestamp now = Timestamp.from(Instant.now());
        try (PreparedStatement s = c.prepareStatement("update generation_jobs set status = 'processing',"
                + " started_at = ?, lease_expires_at = ?, charged_at = ?, updated_at = ? where id = ?")) {
            s.setTimestamp(1, now);
            s.setTimestamp(2, Timestamp.from(Instant.now().plusSeconds(60)));
            s.setTimestamp(3, now);
            s.setTimestamp(4, now);
            s.setObject(5, job.id());
            s.executeUpdate();
        }
        charge(c, job);
        c.commit();
    }

    private static void progress(Connection c, JobRef job) throws SQLException {
        dedupAndLock(c, job, "GenerationProgress");
        try (PreparedStatement s = c.prepareStatement("update generation_jobs set progress = ?, lease_expires_at = ?,"
                + " updated_at = ? where id = ?")) {
            s.setInt(1, 50);
            s.setTimestamp(2, Timestamp.from(Instant.now().plusSeconds(60)));
            s.setTimestamp(3, Timestamp.from(Instant.now()));
            s.setObject(4, job.id());
            s.executeUpdate();
        }
        c.commit();
    }

    private static void completed(Connection c, JobRef job) throws SQLException {
        dedupAndLock(c, job, "GenerationCompleted");
        String prefix = "results/" + job.user() + "/" + job.id() + "/";
        Timestamp now = Timestamp.from(Instant.now());
        try (PreparedStatement s = c.prepareStatement("update generation_jobs set status = 'completed',"
                + " result_image_keys = cast(? as jsonb), thumbnail_keys = cast(? as jsonb), model = ?,"
                + " prompt_template_version = ?, progress = 100, completed_at = ?, lease_expires_at = null,"
                + " auto_saved = true, updated_at = ? where id = ?")) {
            s.setString(1, "[\"" + prefix + "0.png\",\"" + prefix + "1.png\"]");
            s.setString(2, "[\"" + prefix + "thumb-0.png\",\"" + prefix + "thumb-1.png\"]");
            s.setString(3, "benchmark-stand-in");
            s.setString(4, "benchmark-v1");
            s.setTimestamp(5, now);
            s.setTimestamp(6, now);
            s.setObject(7, job.id());
            s.executeUpdate();
        }
        charge(c, job);
        for (int i = 0; i < 2; i++) {
            try (PreparedStatement s = c.prepareStatement("insert into looks (id, user_id, job_id, image_index,"
                    + " image_key, thumbnail_key, prompt, design_settings, original_image_key, model,"
                    + " prompt_template_version, created_at) values (?, ?, ?, ?, ?, ?, ?, cast(? as jsonb), ?, ?, ?, ?)"
                    + " on conflict (job_id, image_index) do nothing")) {
                s.setObject(1, UUID.randomUUID());
                s.setString(2, job.user());
                s.setObject(3, job.id());
                s.setInt(4, i);
                s.setString(5, prefix + i + ".png");
                s.setString(6, prefix + "thumb-" + i + ".png");
                s.setString(7, "glazed donut chrome with tiny pearls");
                s.setString(8, "{\"shape\":\"almond\"}");
                s.setString(9, "originals/" + job.user() + "/" + job.id());
                s.setString(10, "benchmark-stand-in");
                s.setString(11, "benchmark-v1");
                s.setTimestamp(12, now);
                s.executeUpdate();
            }
        }
        try (PreparedStatement s = c.prepareStatement("select * from looks where job_id = ? order by image_index")) {
            s.setObject(1, job.id());
            s.executeQuery().close();
        }
        c.commit();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Object store

    private double objectStore(Bench bench, double seconds) throws Exception {
        Map<String, String> infra = bench.infra();
        byte[] photo = bench.photo();
        byte[] png = Store.benchmarkPng(RESULT_PNG_SIZE);
        byte[] manifest = ("{\"version\":1,\"jobId\":\"" + UUID.randomUUID() + "\",\"resultImageKeys\":[\"a\",\"b\"],"
                + "\"model\":\"benchmark-stand-in\",\"padding\":\"" + "x".repeat(500) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        AtomicLong units = new AtomicLong();
        AtomicLong puts = new AtomicLong();
        Hist putHist = new Hist();
        Hist unitHist = new Hist();
        // s3proxy is much slower for its first few thousand writes: warm it up (3,000 PUTs or 20 s) first.
        AtomicLong warmupPuts = new AtomicLong();
        Progress.status(() -> "object store: warming up (" + Fmt.num(warmupPuts.get()) + " PUTs), then "
                + Fmt.num(units.get()) + " jobs' objects written");
        String base = "bench-ceiling/" + bench.runId + "/";
        ObjectStoreClient s3 = Store.servicesClient(infra);
        long warmEnd = System.nanoTime() + 20_000_000_000L;
        List<Thread> warmers = new ArrayList<>();
        for (int t = 0; t < S3_THREADS; t++) {
            int thread = t;
            warmers.add(Thread.ofPlatform().start(() -> {
                long n = 0;
                try {
                    while (warmupPuts.get() < 3000 && System.nanoTime() < warmEnd) {
                        put(s3, base + "warmup/" + thread + "/" + n++, png, "image/png", null);
                        warmupPuts.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread warmer : warmers) {
            warmer.join();
        }
        long start = System.nanoTime();
        long measureFrom = start;
        long end = measureFrom + (long) (seconds * 1e9);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < S3_THREADS; t++) {
            int thread = t;
            threads.add(Thread.ofPlatform().name("s3-" + t).start(() -> {
                try {
                    long n = 0;
                    long unitStart;
                    while ((unitStart = System.nanoTime()) < end) {
                        boolean measured = unitStart >= measureFrom;
                        String prefix = base + thread + "/" + n++ + "/";
                        put(s3, prefix + "original", photo, "image/jpeg", measured ? putHist : null);
                        // the worker first asks whether the results are already stored, then reads the photo
                        if (s3.exists(prefix + "manifest.json") || s3.get(prefix + "original").isEmpty()) {
                            throw new IllegalStateException("object store: unexpected answer for " + prefix);
                        }
                        for (int i = 0; i < 2; i++) {
                            put(s3, prefix + i + ".png", png, "image/png", measured ? putHist : null);
                            put(s3, prefix + "thumb-" + i + ".png", png, "image/png",
                                    measured ? putHist : null);
                        }
                        put(s3, prefix + "manifest.json", manifest, "application/json",
                                measured ? putHist : null);
                        if (measured) {
                            units.incrementAndGet();
                            puts.addAndGet(6);
                            unitHist.recordNanos(System.nanoTime() - unitStart);
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException("object store: " + errors.getFirst(), errors.getFirst());
        }
        double rate = units.get() / seconds;
        double putRate = puts.get() / seconds;
        Progress.say("object store: " + Fmt.rate(rate) + " jobs/s, " + Fmt.rate(putRate) + " PUTs/s ("
                + putHist.brief() + ")");
        bench.results.row("0", "Object store, one job's objects at " + S3_THREADS + " concurrent: PUT photo "
                        + photo.length / 1024 + " KB, 2 results + 2 thumbnails (" + png.length / 1024
                        + " KB PNGs), manifest; HEAD manifest (404), GET photo; the services' client",
                Fmt.rate(rate) + " jobs/s = " + Fmt.rate(putRate) + " PUTs/s (PUT p99 " + Fmt.ms(putHist.p99())
                        + " ms)");
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("jobs_per_second", rate);
        detail.put("puts_per_second", putRate);
        detail.put("put_latency", putHist.summary());
        detail.put("job_objects_latency", unitHist.summary());
        detail.put("photo_bytes", photo.length);
        detail.put("png_bytes", png.length);
        detail.put("manifest_bytes", manifest.length);
        detail.put("threads", S3_THREADS);
        detail.put("warmup_puts", warmupPuts.get());
        bench.results.detail("0", "object_store", detail);
        return rate;
    }

    private static void put(ObjectStoreClient s3, String key, byte[] bytes, String type, Hist hist)
            throws InterruptedException {
        long t = System.nanoTime();
        s3.put(key, bytes, type, null);
        if (hist != null) {
            hist.recordNanos(System.nanoTime() - t);
        }
    }
}
