package dev.lacquer.worker.support;

import dev.lacquer.testsupport.StackAddresses;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a real topic from its end at creation onwards, with a plain {@link KafkaConsumer} on a thread of its own,
 * and keeps every record in arrival order for the tests to look through.
 */
public final class TopicWatcher implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> records = new CopyOnWriteArrayList<>();
    private final Thread poller;
    private volatile boolean closed;

    public TopicWatcher(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, StackAddresses.kafkaBootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "lacquer-worker-test-watcher-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // Resolve the end positions now, so records produced from here on are all seen.
        partitions.forEach(p -> consumer.position(p, Duration.ofSeconds(10)));
        poller = Thread.ofPlatform().daemon().name("watch-" + topic).start(this::poll);
    }

    private void poll() {
        try {
            while (!closed) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Every record seen so far that matches, in arrival order. */
    public List<ConsumerRecord<String, String>> matching(Predicate<ConsumerRecord<String, String>> filter) {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            if (filter.test(record)) {
                found.add(record);
            }
        }
        return found;
    }

    public List<ConsumerRecord<String, String>> withKey(String key) {
        return matching(r -> key.equals(r.key()));
    }

    /** Position of a record among all seen, for "which came first" assertions. */
    public int arrivalIndex(ConsumerRecord<String, String> record) {
        return records.indexOf(record);
    }

    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    public static Map<String, String> headers(ConsumerRecord<?, ?> record) {
        Map<String, String> all = new java.util.LinkedHashMap<>();
        record.headers().forEach(h -> all.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
        return all;
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            poller.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
