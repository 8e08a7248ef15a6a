package dev.lacquer.api.ratelimit;

import dev.lacquer.api.db.Sql;
import dev.lacquer.api.problem.ApiProblem;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Fixed one-minute windows counted in PostgreSQL, so the limit holds across any number of API
 * replicas. A request over the limit answers 429 with {@code Retry-After} set to the start of
 * the next window.
 */
@ApplicationScoped
public class RateLimiter {

    private final EntityManager em;
    private final Sql sql;

    RateLimiter(EntityManager em, Sql sql) {
        this.em = em;
        this.sql = sql;
    }

    /**
     * Counts one {@code action} by {@code userId} in the caller's transaction; throws 429 when it is
     * over {@code perMinute}. The caller commits the count even when it answers with the 429 (or
     * another refusal), so refused attempts count too.
     */
    @Transactional(value = Transactional.TxType.MANDATORY, dontRollbackOn = ApiProblem.class)
    public void acquire(String userId, String action, int perMinute) {
        Instant now = Instant.now();
        Instant window = now.truncatedTo(ChronoUnit.MINUTES);
        long hits = sql.queryLong("""
                        insert into rate_windows (user_id, action, window_start, hits) values (?, ?, ?, 1)
                        on conflict (user_id, action, window_start) do update set hits = rate_windows.hits + 1
                        returning hits""", userId, action, window);
        if (hits > perMinute) {
            long retryAfter = Math.max(1, Duration.between(now, window.plus(Duration.ofMinutes(1))).toSeconds() + 1);
            throw ApiProblem.tooManyRequests("At most " + perMinute + " generations per minute; try again in "
                    + retryAfter + " s.", retryAfter);
        }
    }

    /** Drops windows that ended more than a minute ago. */
    public int purgeOldWindows() {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "delete from rate_windows where window_start < ?1")
                .setParameter(1, Instant.now().minus(Duration.ofMinutes(2))).executeUpdate());
    }
}
