package dev.lacquer.api.credit;

import dev.lacquer.api.config.LacquerConfig;
import dev.lacquer.api.job.repository.GenerationJob;
import dev.lacquer.api.job.repository.GenerationJobRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
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

    private final EntityManager em;
    private final GenerationJobRepository jobs;
    private final LacquerConfig config;
    private final MeterRegistry metrics;

    CreditService(EntityManager em, GenerationJobRepository jobs, LacquerConfig config, MeterRegistry metrics) {
        this.em = em;
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
            em.createNativeQuery("select user_id from credit_accounts where user_id in (?1) order by user_id for update")
                    .setParameter(1, userIds).getResultList();
        }
    }

    @Transactional
    public CreditSummary summary(String userId) {
        return summaryOf(userId, "");
    }

    private CreditSummary summaryOf(String userId, String lockClause) {
        ensureAccount(userId);
        long balance = ((Number) em.createNativeQuery("select balance from credit_accounts where user_id = ?1"
                        + lockClause)
                .setParameter(1, userId).getSingleResult()).longValue();
        long reserved = jobs.reservedCredits(userId);
        return new CreditSummary(balance, reserved, balance - reserved);
    }

    /** Charges the job's cost once; later calls for the same job change nothing. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean charge(GenerationJob job) {
        int inserted = em.createNativeQuery("""
                        insert into credit_ledger (user_id, job_id, kind, amount, note, created_at)
                        select ?1, ?2, 'charge', ?3, 'generation started', ?4 where ?3 > 0
                        on conflict (job_id, kind) where kind in ('charge', 'refund') do nothing""")
                .setParameter(1, job.userId).setParameter(2, job.id).setParameter(3, job.cost)
                .setParameter(4, Instant.now()).executeUpdate();
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
        int inserted = em.createNativeQuery("""
                        insert into credit_ledger (user_id, job_id, kind, amount, note, created_at)
                        select user_id, job_id, 'refund', amount, ?2, ?3 from credit_ledger
                         where job_id = ?1 and kind = 'charge'
                        on conflict (job_id, kind) where kind in ('charge', 'refund') do nothing""")
                .setParameter(1, job.id).setParameter(2, truncate(reason)).setParameter(3, Instant.now())
                .executeUpdate();
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
        int created = em.createNativeQuery("""
                        insert into credit_accounts (user_id, balance, created_at, updated_at) values (?1, 0, ?2, ?2)
                        on conflict (user_id) do nothing""")
                .setParameter(1, userId).setParameter(2, now).executeUpdate();
        int grant = config.credits().startingGrant();
        if (created == 1 && grant > 0) {
            insertGrant(userId, grant, "starting grant");
            moveBalance(userId, grant);
        }
    }

    private void insertGrant(String userId, int amount, String note) {
        em.createNativeQuery("""
                        insert into credit_ledger (user_id, kind, amount, note, created_at)
                        values (?1, 'grant', ?2, ?3, ?4)""")
                .setParameter(1, userId).setParameter(2, amount).setParameter(3, truncate(note))
                .setParameter(4, Instant.now()).executeUpdate();
    }

    private void moveBalance(String userId, long delta) {
        em.createNativeQuery("update credit_accounts set balance = balance + ?2, updated_at = ?3 where user_id = ?1")
                .setParameter(1, userId).setParameter(2, delta).setParameter(3, Instant.now()).executeUpdate();
    }

    private static String truncate(String note) {
        return note == null || note.length() <= 256 ? note : note.substring(0, 256);
    }
}
