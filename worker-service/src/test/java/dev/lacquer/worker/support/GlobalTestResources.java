package dev.lacquer.worker.support;

import io.quarkus.test.common.QuarkusTestResource;

/** Test resources for every {@code @QuarkusTest} of this module: each start of the app gets its own consumer group. */
@QuarkusTestResource(KafkaTestGroup.class)
public final class GlobalTestResources {
    private GlobalTestResources() {
    }
}
