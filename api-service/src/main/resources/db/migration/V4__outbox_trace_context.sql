-- The W3C traceparent of the request that wrote the outbox row (null without tracing), so the relay publishes the
-- record inside that request's trace (dev.lacquer.api.observability.TraceContexts).
alter table outbox add column trace_parent varchar(64);
