package dev.lacquer.api.live;

import dev.lacquer.api.security.Sha256;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Single-use tickets for opening the event stream from a browser, whose EventSource cannot send
 * an Authorization header. A ticket lives {@link #LIFETIME}, is stored only as a hash, and is
 * deleted when used, on any replica.
 */
@ApplicationScoped
public class StreamTickets {

    public static final Duration LIFETIME = Duration.ofSeconds(60);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EntityManager em;

    StreamTickets(EntityManager em) {
        this.em = em;
    }

    public String issue(String userId) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                        insert into stream_tickets (ticket_hash, user_id, expires_at) values (?1, ?2, ?3)""")
                .setParameter(1, Sha256.hex(ticket)).setParameter(2, userId).setParameter(3, Instant.now().plus(LIFETIME))
                .executeUpdate());
        return ticket;
    }

    /** The ticket's user, once; empty for an unknown, used or expired ticket. */
    public Optional<String> redeem(String ticket) {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("""
                            delete from stream_tickets where ticket_hash = ?1
                            returning user_id, expires_at > now() as valid""")
                    .setParameter(1, Sha256.hex(ticket)).getResultList();
            List<String> users = rows.stream().filter(row -> Boolean.TRUE.equals(row[1]))
                    .map(row -> (String) row[0]).toList();
            return users.stream().findFirst();
        });
    }

    public int purgeExpired() {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "delete from stream_tickets where expires_at < ?1").setParameter(1, Instant.now()).executeUpdate());
    }
}
