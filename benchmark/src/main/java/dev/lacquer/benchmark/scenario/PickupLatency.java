package dev.lacquer.benchmark.scenario;

import dev.lacquer.benchmark.ApiClient;
import dev.lacquer.benchmark.Bench;
import dev.lacquer.benchmark.Db;
import dev.lacquer.benchmark.EventWatcher;
import dev.lacquer.benchmark.Fmt;
import dev.lacquer.benchmark.Hist;
import dev.lacquer.benchmark.JobTracker;
import dev.lacquer.benchmark.Maps;
import dev.lacquer.benchmark.OpenLoop;
import dev.lacquer.benchmark.Progress;
import dev.lacquer.benchmark.Services;
import dev.lacquer.benchmark.WarmUp;
import dev.lacquer.benchmark.Stack;
import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Scenario 2, pick-up latency: creates at a fixed rate (open loop), from the create's commit (the 202 answer, sent
 * right after it) to the worker starting the job ({@code GenerationStarted.occurredAt}). Beside it, on the same
 * broker in the same run: raw Kafka send → consumer receive at the same rate (own client, acks=all, linger 1 ms,
 * like the API's outbox producer), and Kafka's EndToEndLatency tool.
 */
public final class PickupLatency implements Scenario {

    /** The offered rate when scenario 1 did not run first; otherwise half of its sustained throughput. */
    static final double DEFAULT_RATE = 10;
    static final int USERS = 20;
    static final double TARGET_RATIO = 3.0;

    @Override
    public String title() {
        return "pick-up latency";
    }

    @Override
    public void run(Bench bench) throws Exception {
        Services services = bench.services;
        services.ensureApi(Services.apiDefaults());
        services.ensureWorker(
                Services.workerSettings(Duration.ZERO, Throughput.WORKER_CONCURRENCY));
        WarmUp.Outcome warmUp = bench.warmUp(true);
        if (warmUp != null) {
            bench.results.row("2", "Warm-up before anything below was measured (services not warmed before in this"
                    + " run): a closed loop of 50 users until the JIT settled", warmUp.describe());
        }
        ApiClient api = bench.api();
        List<String> users = bench.users("s2", USERS);
        List<String> tokens = api.tokens(users, 7200);
        int seconds = bench.options.duration();
        // A fixed rate well inside what the system sustains (so the figure is pick-up, not an ever-growing queue):
        // half of scenario 1's sustained throughput when it ran in this run, between 2 and 50 creates/s.
        double rate = Double.isNaN(bench.sustainedJobsPerSecond) ? DEFAULT_RATE
                : Math.max(2, Math.min(50, Math.floor(bench.sustainedJobsPerSecond / 2)));

        record Accepted(UUID id, Instant answeredAt) {
        }
        ConcurrentLinkedQueue<Accepted> accepted = new ConcurrentLinkedQueue<>();
        AtomicLong rejected = new AtomicLong();
        Hist createLatency = new Hist();
        Hist pickup = new Hist();
        Hist pickupDb = new Hist();
        Hist relayLeg = new Hist();
        Hist workerLeg = new Hist();
        long missing = 0;
        long negative = 0;
        try (EventWatcher watcher = new EventWatcher(bench.kafka()); JobTracker tracker = new JobTracker(bench.db(), 100)) {
            long start = System.nanoTime();
            Progress.status(() -> String.format(Locale.ROOT, "%s creates/s, open loop: %.0f/%d s, %d accepted,"
                    + " %d started", Fmt.rate(rate), (System.nanoTime() - start) / 1e9, seconds, accepted.size(),
                    watcher.started().size()));
            OpenLoop.run(rate, seconds, 1000, () -> false, (due, i, done) -> {
                int u = (int) (i % USERS);
                api.createAsync(tokens.get(u)).whenComplete((answer, failure) -> {
                    if (answer != null && answer.accepted()) {
                        createLatency.recordNanos(answer.answeredNanos() - due);
                        accepted.add(new Accepted(answer.jobId(), answer.answeredAt()));
                        tracker.track(answer.jobId(), users.get(u), answer.answeredAt(), answer.answeredNanos());
                    } else {
                        rejected.incrementAndGet();
                    }
                    done.run();
                });
            });
            Progress.status(() -> "waiting for the last jobs: " + tracker.openCount());
            tracker.awaitAll(60_000);
            Thread.sleep(1000);
            for (Accepted job : accepted) {
                Instant started = watcher.startedAt(job.id());
                if (started == null) {
                    missing++;
                    continue;
                }
                long micros = Duration.between(job.answeredAt(), started).toNanos() / 1000;
                if (micros < 0) {
                    negative++;
                }
                pickup.recordMicros(Math.max(0, micros));
                Instant requested = watcher.requestedAt(job.id());
                if (requested != null) {
                    relayLeg.recordMicros(Math.max(0, Duration.between(job.answeredAt(), requested).toNanos() / 1000));
                    workerLeg.recordMicros(Math.max(0, Duration.between(requested, started).toNanos() / 1000));
                }
            }
        }
        try (Db db = bench.db()) {
            List<UUID> ids = accepted.stream().map(Accepted::id).toList();
            db.with(c -> {
                try (PreparedStatement s = c.prepareStatement("select extract(epoch from started_at - created_at)"
                        + " from generation_jobs where id = any(?) and started_at is not null")) {
                    s.setArray(1, c.createArrayOf("uuid", ids.toArray()));
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            pickupDb.recordMicros((long) (rs.getDouble(1) * 1e6));
                        }
                    }
                }
                return null;
            });
        }
        Progress.say("pick-up (202 → GenerationStarted): " + pickup.brief());

        Hist raw = rawKafka(bench, rate, Math.min(seconds, 15));
        Progress.say("raw Kafka send → receive at " + Fmt.rate(rate) + "/s: " + raw.brief());
        double[] tool = endToEndTool(bench);

        double ratio = pickup.p99() / raw.p99();
        bench.results.row("2", "Pick-up: create committed (202) → worker's GenerationStarted, open loop at "
                        + Fmt.rate(rate) + " creates/s for " + seconds + " s (" + Fmt.num(pickup.count()) + " jobs"
                        + (Double.isNaN(bench.sustainedJobsPerSecond) ? "" : "; half the sustained throughput of 1")
                        + ")",
                pickup.brief());
        bench.results.row("2", "Pick-up in two legs (the request record's timestamp, whole ms): 202 → request "
                        + "produced (the API's send at the commit) / request produced → GenerationStarted (broker, worker poll, "
                        + "hand-off to the job's thread)", relayLeg.brief() + " / " + workerLeg.brief());
        bench.results.row("2", "Pick-up as the database sees it (created_at → started_at, includes the event's way"
                + " back to the API)", pickupDb.brief());
        bench.results.row("2", "Raw Kafka on the same broker: send → consumer receives, own client at "
                + Fmt.rate(rate) + "/s (acks=all, linger 1 ms)", raw.brief());
        bench.results.row("2", "Raw Kafka: EndToEndLatency tool (1,000 records, one at a time; whole ms)",
                Double.isNaN(tool[0]) ? "n/a" : String.format(Locale.ROOT, "p50 %.0f / p99 %.0f / p99.9 %.0f ms",
                        tool[0], tool[1], tool[2]));
        bench.results.row("2", "Pick-up p99 ÷ raw Kafka p99 (own client)", String.format(Locale.ROOT,
                "%.1f× (%s ms ÷ %s ms); ÷ tool p99: %s", ratio, Fmt.ms(pickup.p99()), Fmt.ms(raw.p99()),
                Double.isNaN(tool[1]) || tool[1] == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f×",
                        pickup.p99() / tool[1])), "≤ 3×", ratio <= TARGET_RATIO);
        bench.results.detail("2", "pickup", Maps.of("rate", rate, "seconds", seconds, "users", USERS,
                "accepted", accepted.size(), "rejected", rejected.get(), "without_started_event", missing,
                "started_before_answer", negative, "pickup", pickup.summary(), "pickup_db", pickupDb.summary(),
                "pickup_relay_leg", relayLeg.summary(), "pickup_worker_leg", workerLeg.summary(),
                "create_latency", createLatency.summary(), "raw_kafka", raw.summary(),
                "end_to_end_tool_ms", Map.of("p50", tool[0], "p99", tool[1], "p99_9", tool[2]), "ratio", ratio));
    }

    /** Send → receive on topic bench.latency at {@code rate}, own producer and consumer, HdrHistogram. */
    static Hist rawKafka(Bench bench, double rate, int seconds) throws Exception {
        String bootstrap = bench.kafka();
        Stack.Outcome topic = bench.stack.kafkaTool(90, "org.apache.kafka.tools.TopicCommand", "--bootstrap-server",
                bootstrap, "--create", "--if-not-exists", "--topic", "bench.latency", "--partitions", "6",
                "--replication-factor", "1");
        if (!topic.ok()) {
            throw new IllegalStateException("creating topic bench.latency failed: " + topic.output());
        }
        Hist hist = new Hist();
        AtomicLong received = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch ready = new CountDownLatch(1);
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Thread consumerThread = Thread.ofPlatform().name("raw-kafka-consumer").start(() -> {
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProps)) {
                List<TopicPartition> partitions = consumer.partitionsFor("bench.latency").stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);
                ready.countDown();
                while (!stop.get()) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        long now = System.nanoTime();
                        Header sent = record.headers().lastHeader("sent");
                        if (sent != null) {
                            hist.recordNanos(now - ByteBuffer.wrap(sent.value()).getLong());
                            received.incrementAndGet();
                        }
                    }
                }
            }
        });
        if (!ready.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("raw Kafka consumer could not start");
        }
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        byte[] value = new byte[500];
        AtomicLong sentCount = new AtomicLong();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps)) {
            // A few records first, so metadata and connections are in place.
            for (int i = 0; i < 20; i++) {
                producer.send(new ProducerRecord<>("bench.latency", UUID.randomUUID().toString(), value)).get();
            }
            Thread.sleep(500);
            hist.reset();
            received.set(0);
            Progress.status(() -> "raw Kafka at " + Fmt.rate(rate) + "/s: " + sentCount.get() + " sent, "
                    + received.get() + " received");
            OpenLoop.run(rate, seconds, 1000, () -> false, (due, i, done) -> {
                ProducerRecord<String, byte[]> record = new ProducerRecord<>("bench.latency",
                        UUID.randomUUID().toString(), value);
                record.headers().add("sent", ByteBuffer.allocate(8).putLong(System.nanoTime()).array());
                producer.send(record);
                sentCount.incrementAndGet();
                done.run();
            });
            producer.flush();
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (received.get() < sentCount.get() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        stop.set(true);
        consumerThread.join(5000);
        return hist;
    }

    private static final Pattern PERCENTILES = Pattern.compile(
            "Percentiles: 50th = ([\\d.]+), 99th = ([\\d.]+), 99.9th = ([\\d.]+)");

    /** Kafka's EndToEndLatency tool: p50, p99, p99.9 in ms (NaN when it failed). */
    static double[] endToEndTool(Bench bench) {
        Progress.status(() -> "Kafka EndToEndLatency tool, 1,000 records");
        Stack.Outcome outcome = bench.stack.kafkaTool(180, "org.apache.kafka.tools.EndToEndLatency", bench.kafka(),
                "bench.e2e", "1000", "all", "500");
        Matcher m = PERCENTILES.matcher(outcome.output());
        if (!outcome.ok() || !m.find()) {
            Progress.say("EndToEndLatency failed: " + outcome.output());
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)),
                Double.parseDouble(m.group(3))};
    }
}
