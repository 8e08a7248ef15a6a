package dev.lacquer.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads generation.events and generation.requests from their ends, outside any consumer group (it changes nothing
 * for the services' groups), and remembers when the worker says each job started and completed ({@code occurredAt},
 * the worker's clock, which is this machine's clock) and when the API produced each job's request
 * (the record's timestamp, whole milliseconds).
 */
public final class EventWatcher implements AutoCloseable {

    private static final String REQUESTS = "generation.requests";

    private final Map<UUID, Instant> requested = new ConcurrentHashMap<>();
    private final Map<UUID, Instant> started = new ConcurrentHashMap<>();
    private final Map<UUID, Instant> completed = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private final Thread thread;
    private final java.util.concurrent.CountDownLatch assigned = new java.util.concurrent.CountDownLatch(1);

    public EventWatcher(String bootstrap) throws InterruptedException {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "lacquer-benchmark-watcher");
        this.thread = Thread.ofPlatform().daemon().name("event-watcher").start(() -> loop(props));
        if (!assigned.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new IllegalStateException("the event watcher could not reach Kafka");
        }
    }

    private void loop(Properties props) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = java.util.stream.Stream.of("generation.events", REQUESTS)
                    .flatMap(topic -> consumer.partitionsFor(topic).stream())
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            assigned.countDown();
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (REQUESTS.equals(record.topic())) {
                        readRequest(record);
                    } else {
                        read(record.value());
                    }
                }
            }
        }
    }

    private void read(String value) {
        try {
            JsonNode event = ApiClient.JSON.readTree(value);
            String type = event.path("type").asText();
            counts.computeIfAbsent(type, t -> new AtomicLong()).incrementAndGet();
            UUID job = UUID.fromString(event.path("jobId").asText());
            Instant at = Instant.parse(event.path("occurredAt").asText());
            switch (type) {
                case "GenerationStarted" -> started.putIfAbsent(job, at);
                case "GenerationCompleted" -> completed.putIfAbsent(job, at);
                default -> {
                }
            }
        } catch (Exception e) {
            counts.computeIfAbsent("unreadable", t -> new AtomicLong()).incrementAndGet();
        }
    }

    private void readRequest(ConsumerRecord<String, String> record) {
        try {
            JsonNode event = ApiClient.JSON.readTree(record.value());
            if ("GenerationRequested".equals(event.path("type").asText())) {
                requested.putIfAbsent(UUID.fromString(event.path("jobId").asText()),
                        Instant.ofEpochMilli(record.timestamp()));
            }
        } catch (Exception e) {
            counts.computeIfAbsent("unreadable", t -> new AtomicLong()).incrementAndGet();
        }
    }

    /** When the API produced the job's first GenerationRequested (the record's timestamp). */
    public Instant requestedAt(UUID job) {
        return requested.get(job);
    }

    public Instant startedAt(UUID job) {
        return started.get(job);
    }

    public Instant completedAt(UUID job) {
        return completed.get(job);
    }

    public Map<UUID, Instant> started() {
        return started;
    }

    public Map<UUID, Instant> completed() {
        return completed;
    }

    public long count(String type) {
        AtomicLong count = counts.get(type);
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }
}
