package dev.lacquer.api.messaging;

import dev.lacquer.api.config.LacquerConfig;
import dev.lacquer.api.observability.TraceContexts;
import dev.lacquer.model.event.CloudEventHeaders;
import dev.lacquer.model.event.EventCodec;
import dev.lacquer.model.event.GenerationRequested;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Publishes outbox rows to Kafka and deletes them once the broker acknowledged them. Rows are
 * claimed with {@code FOR UPDATE SKIP LOCKED}, so any number of API replicas can relay at once
 * without sending a row twice in the normal case (a crash between ack and delete re-sends it;
 * consumers deduplicate on the event id). Woken after every commit that wrote a row, and polls
 * as a safety net.
 */
@ApplicationScoped
public class OutboxRelay {

    static final String CHANNEL = "generation-requests";
    private static final String SOURCE = "/lacquer/api";
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 1000;

    private final MutinyEmitter<String> emitter;
    private final EntityManager em;
    private final LacquerConfig config;
    private final Semaphore wakeUps = new Semaphore(0);
    private final AtomicLong backlog = new AtomicLong();
    private volatile boolean running;
    private Thread loop;

    OutboxRelay(@Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
                MutinyEmitter<String> emitter, EntityManager em, LacquerConfig config, MeterRegistry metrics) {
        this.emitter = emitter;
        this.em = em;
        this.config = config;
        Gauge.builder("lacquer.outbox.backlog", backlog, AtomicLong::get)
                .description("Outbox rows not yet published, as last seen by this replica").register(metrics);
    }

    void start(@Observes StartupEvent ignored) {
        running = true;
        loop = Thread.ofVirtual().name("outbox-relay").start(this::run);
    }

    void stop(@Observes ShutdownEvent ignored) {
        running = false;
        wakeUp();
    }

    public void wakeUp() {
        wakeUps.release();
    }

    private void run() {
        while (running) {
            try {
                wakeUps.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS);
                wakeUps.drainPermits();
                if (running) {
                    drain();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                Log.warnf("outbox relay: publication failed, will retry: %s", e.getMessage());
                sleepQuietly();
            }
        }
    }

    /** Publishes until the outbox is empty; answers how many rows were sent. */
    public int drain() {
        int total = 0;
        int sent;
        do {
            sent = publishBatch();
            total += sent;
        } while (sent == config.outbox().batchSize());
        return total;
    }

    int publishBatch() {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("""
                            select id, event_id, topic, message_key, event_type, payload, trace_parent from outbox
                            order by id limit ?1 for update skip locked""")
                    .setParameter(1, config.outbox().batchSize()).getResultList();
            if (rows.isEmpty()) {
                backlog.set(0);
                return 0;
            }
            List<Uni<Void>> acks = new ArrayList<>(rows.size());
            List<Long> ids = new ArrayList<>(rows.size());
            List<UUID> requestedJobs = new ArrayList<>();
            for (Object[] row : rows) {
                ids.add(((Number) row[0]).longValue());
                String type = (String) row[4];
                if (GenerationRequested.TYPE.equals(type)) {
                    requestedJobs.add(UUID.fromString((String) row[3]));
                }
                acks.add(emitter.sendMessage(toMessage(row)));
            }
            Uni.join().all(acks).andFailFast().await().atMost(SEND_TIMEOUT);
            em.createNativeQuery("delete from outbox where id = any(?1)")
                    .setParameter(1, ids.toArray(Long[]::new)).executeUpdate();
            if (!requestedJobs.isEmpty()) {
                // A published request must be started within the pick-up timeout, or the sweep sends it again.
                em.createNativeQuery("""
                                update generation_jobs set lease_expires_at = ?2
                                 where id = any(?1) and status = 'pending'""")
                        .setParameter(1, requestedJobs.toArray(UUID[]::new))
                        .setParameter(2, Instant.now().plus(config.jobs().pickupTimeout()))
                        .executeUpdate();
            }
            backlog.set(rows.size() == config.outbox().batchSize() ? rows.size() : 0);
            Log.debugf("outbox relay: published %d", rows.size());
            return rows.size();
        });
    }

    private static Message<String> toMessage(Object[] row) {
        String payload = (String) row[5];
        RecordHeaders headers = new RecordHeaders();
        CloudEventHeaders.of(EventCodec.decode(payload), SOURCE)
                .forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic((String) row[2])
                .withKey((String) row[3])
                .withHeaders(headers)
                .build();
        Message<String> message = Message.of(payload).addMetadata(metadata);
        // Published inside the trace of the request that wrote the row, when there was one.
        return TraceContexts.parentOf((String) row[6]).map(message::addMetadata).orElse(message);
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
