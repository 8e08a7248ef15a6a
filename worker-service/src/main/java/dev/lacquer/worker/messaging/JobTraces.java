package dev.lacquer.worker.messaging;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.smallrye.reactive.messaging.TracingMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Keeps each job's events in the trace of its request. The connector opens a consumer span for every record of
 * {@code generation.requests} (parent: the record's {@code traceparent}, written by the API inside the create
 * request's trace); the job's events are sent later from other threads, so the span is remembered here by job id
 * and made the parent of every event's producer span. Without tracing (the SDK disabled) nothing is kept. Bounded:
 * the least recently used entries go first, far beyond the number of jobs a worker runs at once.
 */
@ApplicationScoped
public class JobTraces {

    private static final int MAX_JOBS = 10_000;

    private final Map<UUID, Context> contexts = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Context> eldest) {
            return size() > MAX_JOBS;
        }
    });

    /** Remembers the trace of the record that asked for {@code jobId}, if it has one. */
    public void remember(UUID jobId, Message<?> record) {
        TracingMetadata.fromMessage(record).map(TracingMetadata::getCurrentContext)
                .filter(context -> Span.fromContext(context).getSpanContext().isValid())
                .ifPresent(context -> contexts.put(jobId, context));
    }

    /** Metadata that makes the job's request span the parent of an outgoing event's producer span. */
    public Optional<TracingMetadata> parentFor(UUID jobId) {
        return Optional.ofNullable(contexts.get(jobId)).map(TracingMetadata::withCurrent);
    }
}
