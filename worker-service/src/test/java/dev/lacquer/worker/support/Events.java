package dev.lacquer.worker.support;

import dev.lacquer.model.event.EventCodec;
import dev.lacquer.model.event.GenerationEvent;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reading worker events off the watched {@code generation.events} topic. */
public final class Events {

    private Events() {
    }

    public static List<GenerationEvent> of(TopicWatcher watcher, UUID jobId) {
        return records(watcher, jobId).stream().map(r -> EventCodec.decode(r.value())).toList();
    }

    public static List<ConsumerRecord<String, String>> records(TopicWatcher watcher, UUID jobId) {
        return watcher.withKey(jobId.toString());
    }

    public static <T extends GenerationEvent> List<T> ofType(TopicWatcher watcher, UUID jobId, Class<T> type) {
        return of(watcher, jobId).stream().filter(type::isInstance).map(type::cast).toList();
    }

    public static <T extends GenerationEvent> List<ConsumerRecord<String, String>> recordsOfType(
            TopicWatcher watcher, UUID jobId, Class<T> type) {
        return records(watcher, jobId).stream().filter(r -> type.isInstance(EventCodec.decode(r.value()))).toList();
    }
}
