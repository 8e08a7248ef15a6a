package dev.lacquer.api.observability;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.smallrye.reactive.messaging.TracingMetadata;
import java.util.List;
import java.util.Optional;

/**
 * Carries a trace across the outbox. The request that creates a job writes the W3C {@code traceparent} of its span
 * next to the outbox row; the relay, which publishes later on its own thread, makes that the parent of the Kafka
 * producer span. So the record on {@code generation.requests}, the worker's spans and the events coming back all
 * belong to the trace of the create request. Without tracing (the SDK disabled) there is no span and nothing is
 * stored.
 */
public final class TraceContexts {

    private static final String TRACEPARENT = "traceparent";
    private static final TextMapGetter<String> FROM_TRACEPARENT = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of(TRACEPARENT);
        }

        @Override
        public String get(String carrier, String key) {
            return TRACEPARENT.equals(key) ? carrier : null;
        }
    };

    private TraceContexts() {
    }

    /** The W3C traceparent of the current span, or null when there is none (tracing off, no request). */
    public static String currentTraceparent() {
        SpanContext span = Span.current().getSpanContext();
        if (!span.isValid()) {
            return null;
        }
        return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
    }

    /** Message metadata that makes {@code traceparent} the parent of the producer span; empty if it is unusable. */
    public static Optional<TracingMetadata> parentOf(String traceparent) {
        if (traceparent == null || traceparent.isBlank()) {
            return Optional.empty();
        }
        Context context = W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, FROM_TRACEPARENT);
        if (!Span.fromContext(context).getSpanContext().isValid()) {
            return Optional.empty();
        }
        return Optional.of(TracingMetadata.withCurrent(context));
    }
}
