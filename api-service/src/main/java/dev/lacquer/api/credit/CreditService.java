package dev.lacquer.api.credit;

import dev.lacquer.api.config.LacquerConfig;
import dev.lacquer.api.db.Sql;
import dev.lacquer.api.job.repository.GenerationJob;
import dev.lacquer.api.job.repository.GenerationJobRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;

/**
 * The credit ledger. Every grant, charge and refund is a ledger row; the account row caches
 * the balance and is the lock that serialises one user's credit decisions. The database
 * allows one charge and one refund per job, so a duplicated event can never move credits twice.
 * Methods join the caller's transaction.
 */
@ApplicationScoped
public class CreditService {

    private final Sql sql;
    private final GenerationJobRepository jobs;
    private final LacquerConfig config;
    private final MeterRegistry metrics;

    CreditService(Sql sql, GenerationJobRepository jobs, LacquerConfig config, MeterRegistry metrics) {
        this.sql = sql;
        this.jobs = jobs;
        this.config = config;
        this.metrics = metrics;
    }

    /** What a job of {@code imageCount} designs costs. */
    public int costOf(int imageCount) {
        return imageCount * config.credits().costPerDesign();
    }

    /**
     * Locks the user's account (creating it with the starting grant on first sight) and answers
     * what a new job may spend. Hold the lock until the job row is written, so parallel creates
     * by one user see each other's reservations.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public CreditSummary lockForSpending(String userId) {
        return summaryOf(userId, " for update");
    }

    /** Locks the existing accounts of these users, in user id order (see JobEventService#applyAll). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lockAccounts(java.util.Collection<String> userIds) {
        if (!userIds.isEmpty()) {
            sql.query("select user_id from credit_accounts where user_id = any(?) order by user_id for update",
                    rs -> rs.getString(1), (Object) userIds.toArray(String[]::new));
        }
    }

    @Transactional
    public CreditSummary summary(String userId) {
        return summaryOf(userId, "");
    }

    private CreditSummary summaryOf(String userId, String lockClause) {
        ensureAccount(userId);
        long balance = sql.queryLong("select balance from credit_accounts where user_id = ?" + lockClause, userId);
        long reserved = jobs.reservedCredits(userId);
        return new CreditSummary(balance, reserved, balance - reserved);
    }

    /** Charges the job's cost once; later calls for the same job change nothing. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean charge(GenerationJob job) {
        int inserted = sql.update("""
                        insert into credit_ledger (user_id, job_id, kind, amount, note, created_at)
                        select ?, ?, 'charge', ?, 'generation started', ? where ? > 0
                        on conflict (job_id, kind) where kind in ('charge', 'refund') do nothing""",
                job.userId, job.id, job.cost, Instant.now(), job.cost);
        if (job.chargedAt == null) {
            job.chargedAt = Instant.now();
        }
        if (inserted == 0) {
            return false;
        }
        moveBalance(job.userId, -job.cost);
        metrics.counter("lacquer.credits.charged").increment(job.cost);
        Log.debugf("job %s: charged %d credits", job.id, job.cost);
        return true;
    }

    /** Refunds a charged job once; a job that was never charged, or already refunded, changes nothing. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean refund(GenerationJob job, String reason) {
        int inserted = sql.update("""
                        insert into credit_ledger (user_id, job_id, kind, amount, note, created_at)
                        select user_id, job_id, 'refund', amount, ?, ? from credit_ledger
                         where job_id = ? and kind = 'charge'
                        on conflict (job_id, kind) where kind in ('charge', 'refund') do nothing""",
                truncate(reason), Instant.now(), job.id);
        if (inserted == 0) {
            return false;
        }
        moveBalance(job.userId, job.cost);
        metrics.counter("lacquer.credits.refunded").increment(job.cost);
        Log.debugf("job %s: refunded %d credits", job.id, job.cost);
        return true;
    }

    @Transactional
    public CreditSummary grant(String userId, int amount, String note) {
        ensureAccount(userId);
        insertGrant(userId, amount, note);
        moveBalance(userId, amount);
        return summary(userId);
    }

    private void ensureAccount(String userId) {
        Instant now = Instant.now();
        int created = sql.update("""
                        insert into credit_accounts (user_id, balance, created_at, updated_at) values (?, 0, ?, ?)
                        on conflict (user_id) do nothing""", userId, now, now);
        int grant = config.credits().startingGrant();
        if (created == 1 && grant > 0) {
            insertGrant(userId, grant, "starting grant");
            moveBalance(userId, grant);
        }
    }

    private void insertGrant(String userId, int amount, String note) {
        sql.update("""
                        insert into credit_ledger (user_id, kind, amount, note, created_at)
                        values (?, 'grant', ?, ?, ?)""", userId, amount, truncate(note), Instant.now());
    }

    private void moveBalance(String userId, long delta) {
        sql.update("update credit_accounts set balance = balance + ?, updated_at = ? where user_id = ?",
                delta, Instant.now(), userId);
    }

    private static String truncate(String note) {
        return note == null || note.length() <= 256 ? note : note.substring(0, 256);
    }
}
