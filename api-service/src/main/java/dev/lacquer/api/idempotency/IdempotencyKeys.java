package dev.lacquer.api.idempotency;

import dev.lacquer.api.problem.ApiProblem;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Stripe's idempotency semantics for creates: the first request with a key runs and its
 * response is kept; the same key with the same body answers that response again; the same key
 * with another body answers 422; the same key while the first request still runs answers 409.
 * A request that fails leaves no key behind, so the client may retry it. Keys are kept for
 * {@link #RETENTION}.
 */
@ApplicationScoped
public class IdempotencyKeys {

    public static final Duration RETENTION = Duration.ofHours(24);
    public static final int MAX_KEY_LENGTH = 255;

    private final EntityManager em;

    IdempotencyKeys(EntityManager em) {
        this.em = em;
    }

    /** A stored response: its status and JSON body. */
    public record StoredResponse(int status, String body) {
    }

    /**
     * Runs {@code action} once per (user, key). {@code requestHash} identifies the request body;
     * the action answers the response to keep.
     */
    public StoredResponse run(String userId, String key, String requestHash, Supplier<StoredResponse> action) {
        if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
            throw ApiProblem.badRequest("Idempotency-Key must be 1–" + MAX_KEY_LENGTH + " characters.");
        }
        Optional<StoredResponse> earlier = QuarkusTransaction.requiringNew().call(() -> claim(userId, key, requestHash));
        if (earlier.isPresent()) {
            return earlier.get();
        }
        StoredResponse response;
        try {
            response = action.get();
        } catch (RuntimeException e) {
            QuarkusTransaction.requiringNew().run(() -> release(userId, key));
            throw e;
        }
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                        update idempotency_keys set response_status = ?3, response_body = ?4
                         where user_id = ?1 and idem_key = ?2""")
                .setParameter(1, userId).setParameter(2, key).setParameter(3, response.status())
                .setParameter(4, response.body()).executeUpdate());
        return response;
    }

    /** Deletes keys past their retention; answers how many. */
    public int purgeExpired() {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "delete from idempotency_keys where created_at < ?1")
                .setParameter(1, Instant.now().minus(RETENTION)).executeUpdate());
    }

    private Optional<StoredResponse> claim(String userId, String key, String requestHash) {
        int claimed = em.createNativeQuery("""
                        insert into idempotency_keys (user_id, idem_key, request_hash, created_at)
                        values (?1, ?2, ?3, ?4) on conflict (user_id, idem_key) do nothing""")
                .setParameter(1, userId).setParameter(2, key).setParameter(3, requestHash)
                .setParameter(4, Instant.now()).executeUpdate();
        if (claimed == 1) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select request_hash, response_status, response_body from idempotency_keys
                         where user_id = ?1 and idem_key = ?2""")
                .setParameter(1, userId).setParameter(2, key).getResultList();
        if (rows.isEmpty()) {
            throw ApiProblem.conflict("A request with this Idempotency-Key has just finished failing; retry it.");
        }
        Object[] row = rows.get(0);
        if (!requestHash.equals(row[0])) {
            throw ApiProblem.unprocessable("idempotency-key-reused", "Idempotency key reused",
                    "This Idempotency-Key was used with a different request body.");
        }
        if (row[1] == null) {
            throw ApiProblem.conflict("A request with this Idempotency-Key is still being processed.");
        }
        return Optional.of(new StoredResponse(((Number) row[1]).intValue(), (String) row[2]));
    }

    private void release(String userId, String key) {
        em.createNativeQuery("delete from idempotency_keys where user_id = ?1 and idem_key = ?2")
                .setParameter(1, userId).setParameter(2, key).executeUpdate();
    }
}
