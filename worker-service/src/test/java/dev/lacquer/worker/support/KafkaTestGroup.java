package dev.lacquer.worker.support;

import dev.lacquer.model.Topics;
import dev.lacquer.testsupport.ConsumerGroups;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Gives the worker under test a consumer group of its own whose committed offsets are the current end of
 * {@code generation.requests}: it sees exactly the records produced after it starts, whatever other runs and
 * modules left on the real topic, and without the race of {@code auto.offset.reset=latest}.
 */
public class KafkaTestGroup implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("mp.messaging.incoming.generation-requests.group.id",
                ConsumerGroups.startingAtEnd("lacquer-worker-test", Topics.REQUESTS));
    }

    @Override
    public void stop() {
    }
}
