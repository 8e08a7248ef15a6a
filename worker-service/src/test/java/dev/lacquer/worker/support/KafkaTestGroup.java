package dev.lacquer.worker.support;

import dev.lacquer.model.Topics;
import dev.lacquer.testsupport.StackAddresses;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Gives the worker under test a consumer group of its own whose committed offsets are the current end of
 * {@code generation.requests}: it sees exactly the records produced after it starts, whatever other runs and
 * modules left on the real topic, and without the race of {@code auto.offset.reset=latest}.
 */
public class KafkaTestGroup implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        String group = "lacquer-worker-test-" + UUID.randomUUID();
        // The broker may be restarting (the local stack's fault tests do that): keep trying for a while.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                commitEndOffsets(group);
                return Map.of("mp.messaging.incoming.generation-requests.group.id", group);
            } catch (Exception e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                if (!(cause instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("cannot prepare a consumer group on Kafka at " + StackAddresses.kafkaBootstrapServers()
                            + " (is the local stack running?)", e);
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(interrupted);
                }
            }
        }
    }

    private static void commitEndOffsets(String group) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, StackAddresses.kafkaBootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000"))) {
            List<TopicPartition> partitions = admin.describeTopics(List.of(Topics.REQUESTS)).allTopicNames().get()
                    .get(Topics.REQUESTS).partitions().stream()
                    .map(p -> new TopicPartition(Topics.REQUESTS, p.partition()))
                    .toList();
            Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(
                    partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()))).all().get();
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            ends.forEach((partition, info) -> offsets.put(partition, new OffsetAndMetadata(info.offset())));
            admin.alterConsumerGroupOffsets(group, offsets).all().get();
        }
    }

    @Override
    public void stop() {
    }
}
