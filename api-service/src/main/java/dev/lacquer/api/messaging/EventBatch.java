package dev.lacquer.api.messaging;

import dev.lacquer.model.event.EventCodec;
import dev.lacquer.model.event.GenerationEvent;
import dev.lacquer.model.event.GenerationProgress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The readable events of one poll, in the order they are to be applied. Within a job the order of
 * its partition is kept; a progress event is dropped when a later progress event of the same job
 * (and the same or a later attempt) is in the batch, since only the latest one changes what a user sees (the percentage only grows)
 * and it extends the lease just the same.
 */
record EventBatch(List<Entry> entries, int coalesced) {

    /** One event and the record it came from (for the dead-letter topic, should it not apply). */
    record Entry(ConsumerRecord<String, String> record, GenerationEvent event) {
    }

    /**
     * Decodes the records in poll order (per partition, by offset); an unreadable record is handed
     * to {@code unreadable} with the reason and left out.
     */
    static EventBatch of(Iterable<ConsumerRecord<String, String>> records,
                         BiConsumer<ConsumerRecord<String, String>, String> unreadable) {
        List<Entry> decoded = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                decoded.add(new Entry(record, EventCodec.decode(record.value())));
            } catch (EventCodec.UnreadableEventException e) {
                unreadable.accept(record, "unreadable event: " + e.getMessage());
            }
        }
        return coalesceProgress(decoded);
    }

    private static EventBatch coalesceProgress(List<Entry> decoded) {
        Map<UUID, Integer> laterProgressAttempt = new HashMap<>();
        List<Entry> kept = new ArrayList<>(decoded.size());
        for (int i = decoded.size() - 1; i >= 0; i--) {
            Entry entry = decoded.get(i);
            if (entry.event() instanceof GenerationProgress progress) {
                Integer later = laterProgressAttempt.get(progress.jobId());
                if (later != null && later >= progress.attempt()) {
                    continue;
                }
                laterProgressAttempt.merge(progress.jobId(), progress.attempt(), Math::max);
            }
            kept.add(entry);
        }
        Collections.reverse(kept);
        return new EventBatch(List.copyOf(kept), decoded.size() - kept.size());
    }

    List<GenerationEvent> events() {
        return entries.stream().map(Entry::event).toList();
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }
}
