package dev.lacquer.api.support;

import dev.lacquer.model.Topics;
import dev.lacquer.model.event.EventCodec;
import dev.lacquer.model.event.GenerationEvent;
import dev.lacquer.testsupport.StackAddresses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients against the real broker: the test plays the worker's side of the topics. */
public final class Kafka {

    public static final String BOOTSTRAP = StackAddresses.kafkaBootstrapServers();
    private static final KafkaProducer<String, String> PRODUCER = producer();

    private Kafka() {
    }

    /** Sends an event as the worker would (key = job id) and waits for the broker's ack. */
    public static void publishEvent(GenerationEvent event) {
        send(Topics.EVENTS, event.jobId().toString(), EventCodec.encode(event));
    }

    /**
     * Sends the events as the worker would, all before waiting for any ack, so the API's consumer is likely to
     * take several of them in one poll (one batch).
     */
    public static void publishTogether(List<GenerationEvent> events) {
        List<java.util.concurrent.Future<?>> acks = new java.util.ArrayList<>();
        for (GenerationEvent event : events) {
            acks.add(PRODUCER.send(new ProducerRecord<>(Topics.EVENTS, event.jobId().toString(),
                    EventCodec.encode(event))));
        }
        PRODUCER.flush();
        for (java.util.concurrent.Future<?> ack : acks) {
            try {
                ack.get();
            } catch (InterruptedException | ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public static void send(String topic, String key, String value) {
        try {
            PRODUCER.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A consumer positioned at the end of the topic, so it sees only what happens from now on. */
    public static KafkaConsumer<String, String> tail(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "api-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of(topic));
        long deadline = System.currentTimeMillis() + 15_000;
        while (consumer.assignment().isEmpty() && System.currentTimeMillis() < deadline) {
            consumer.poll(Duration.ofMillis(100));
        }
        consumer.seekToEnd(consumer.assignment());
        consumer.assignment().forEach(consumer::position);
        return consumer;
    }

    /** Records matching the filter, polled until {@code count} arrived or the timeout passed. */
    public static List<ConsumerRecord<String, String>> await(KafkaConsumer<String, String> consumer,
                                                             Predicate<ConsumerRecord<String, String>> filter,
                                                             int count, Duration timeout) {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (found.size() < count && System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                if (filter.test(record)) {
                    found.add(record);
                }
            }
        }
        return found;
    }

    private static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }
}
