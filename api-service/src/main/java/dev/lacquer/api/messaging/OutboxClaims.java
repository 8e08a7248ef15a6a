package dev.lacquer.api.messaging;

import dev.lacquer.api.db.Sql;
import dev.lacquer.api.config.LacquerConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The outbox rows' ownership, each step its own short transaction: nothing is held while the relay waits for Kafka.
 * A claim gives rows to one relay until {@code claimed_until} (the database's clock); a claimed row is invisible to
 * other claims until it is deleted, released, or its lease runs out (its relay died). A claim never takes a job's row
 * while an earlier row of the same job is outside the claim, so a job's messages are sent in id order.
 */
@ApplicationScoped
public class OutboxClaims {

    private static final int TRANSACTION_TIMEOUT_SECONDS = 10;

    private final Sql sql;
    private final LacquerConfig config;

    OutboxClaims(Sql sql, LacquerConfig config) {
        this.sql = sql;
        this.config = config;
    }

    /** Claims up to {@code limit} rows for {@code lease}, oldest first. */
    public List<OutboxRecord> claim(int limit, Duration lease) {
        return QuarkusTransaction.requiringNew().timeout(TRANSACTION_TIMEOUT_SECONDS).call(() -> {
            List<OutboxRecord> rows = sql.query("""
                            with candidates as materialized (
                                select id, message_key from outbox
                                 where claimed_until is null or claimed_until <= now()
                                 order by id
                                 limit ?
                                   for update skip locked
                            ), in_job_order as (
                                select c.id from candidates c
                                 where not exists (select 1 from outbox earlier
                                                    where earlier.message_key = c.message_key and earlier.id < c.id
                                                      and earlier.id not in (select id from candidates))
                            )
                            update outbox o set claimed_until = now() + make_interval(secs => ?)
                              from in_job_order
                             where o.id = in_job_order.id
                            returning o.id, o.event_id, o.topic, o.message_key, o.event_type, o.payload, o.trace_parent""",
                    OutboxClaims::toRecord, limit, lease.toMillis() / 1000.0);
            return rows.stream().sorted(Comparator.comparingLong(OutboxRecord::id)).toList();
        });
    }

    /**
     * Settles a batch: deletes what the broker acknowledged (and starts the pick-up clock of the requests among it)
     * and makes what failed claimable again at once.
     */
    public void settle(List<OutboxRecord> published, List<OutboxRecord> failed) {
        if (published.isEmpty() && failed.isEmpty()) {
            return;
        }
        QuarkusTransaction.requiringNew().timeout(TRANSACTION_TIMEOUT_SECONDS).run(() -> {
            // Lost to a database crash, the rows are sent again after their claim, as when a replica dies here.
            sql.commitWithoutWaitingForFlush();
            if (!published.isEmpty()) {
                sql.update("delete from outbox where id = any(?)", (Object) ids(published));
                UUID[] requested = published.stream().map(OutboxRecord::requestedJob).filter(Objects::nonNull)
                        .toArray(UUID[]::new);
                if (requested.length > 0) {
                    // A published request must be started within the pick-up timeout, or the sweep sends it again.
                    sql.update("""
                                    update generation_jobs set lease_expires_at = ?
                                     where id = any(?) and status = 'pending'""",
                            Instant.now().plus(config.jobs().pickupTimeout()), requested);
                }
            }
            if (!failed.isEmpty()) {
                sql.update("update outbox set claimed_until = null where id = any(?)", (Object) ids(failed));
            }
        });
    }

    /** Rows still in the outbox, claimed or not. */
    public long count() {
        return QuarkusTransaction.requiringNew().timeout(TRANSACTION_TIMEOUT_SECONDS).call(() ->
                sql.queryLong("select count(*) from outbox"));
    }

    private static Long[] ids(List<OutboxRecord> records) {
        return records.stream().map(OutboxRecord::id).toArray(Long[]::new);
    }

    private static OutboxRecord toRecord(ResultSet rs) throws SQLException {
        return new OutboxRecord(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7));
    }
}
