package dev.lacquer.api.problem;

import jakarta.transaction.HeuristicMixedException;
import jakarta.transaction.HeuristicRollbackException;
import jakarta.transaction.RollbackException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;
import javax.transaction.xa.XAException;
import org.hibernate.exception.JDBCConnectionException;

/**
 * The one rule for "the database cannot serve this right now" as opposed to a bug: such a request answers 503 with
 * {@code Retry-After} (nothing the client can see was changed, and a retry with the same Idempotency-Key is safe), and
 * an event is applied again instead of being dead-lettered. Looks at the whole chain: causes and suppressed exceptions
 * (Narayana attaches the resource's own failure to a failed commit as a suppressed exception). Recognised by type and
 * SQLState; by message only where the pool gives neither.
 */
public final class DatabaseOutage {

    /** PostgreSQL SQLState class 08: connection exception (refused, broken, lost during a restart). */
    private static final String CONNECTION_EXCEPTION_CLASS = "08";
    /** 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now (starting or stopping) and the rest of 57P. */
    private static final String OPERATOR_INTERVENTION_SHUTDOWN = "57P";
    /** 53300 too_many_connections: the server refuses new connections. */
    private static final String TOO_MANY_CONNECTIONS = "53300";
    /** Agroal throws a bare SQLException (no SQLState, no subtype) when no connection came free in time. */
    private static final String[] POOL_TIMEOUT_MESSAGES = {"Sorry, acquisition timeout!",
            "Acquisition timeout while waiting for new connection"};
    private static final int MAX_EXCEPTIONS_VISITED = 64;

    private DatabaseOutage() {
    }

    public static boolean isOutage(Throwable e) {
        return reason(e).isPresent();
    }

    /** Why {@code e} counts as an outage, for the log line; empty when it does not. */
    public static Optional<String> reason(Throwable e) {
        Deque<Throwable> toVisit = new ArrayDeque<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        if (e != null) {
            toVisit.add(e);
        }
        while (!toVisit.isEmpty() && seen.size() < MAX_EXCEPTIONS_VISITED) {
            Throwable current = toVisit.poll();
            if (!seen.add(current)) {
                continue;
            }
            Optional<String> reason = reasonOf(current);
            if (reason.isPresent()) {
                return reason;
            }
            if (current.getCause() != null) {
                toVisit.add(current.getCause());
            }
            if (current instanceof SQLException sql && sql.getNextException() != null) {
                toVisit.add(sql.getNextException());
            }
            Collections.addAll(toVisit, current.getSuppressed());
        }
        return Optional.empty();
    }

    private static Optional<String> reasonOf(Throwable e) {
        return switch (e) {
            case RollbackException ignored -> Optional.of("the commit failed and the transaction was rolled back");
            case HeuristicMixedException ignored -> Optional.of("the commit's outcome is unknown");
            case HeuristicRollbackException ignored -> Optional.of("the commit was rolled back by the database");
            case XAException xa when isConnectionFailure(xa) -> Optional.of("XA error " + xa.errorCode);
            case JDBCConnectionException ignored -> Optional.of("no connection to the database");
            case SQLTransientException ignored -> Optional.of("transient SQL failure " + e.getClass().getSimpleName());
            case SQLNonTransientConnectionException ignored -> Optional.of("the connection failed");
            case SQLException sql when sql.getSQLState() != null -> isUnavailableState(sql.getSQLState())
                    ? Optional.of("SQLState " + sql.getSQLState()) : Optional.empty();
            case SQLException sql when isPoolTimeout(sql) -> Optional.of("no pooled connection came free in time");
            default -> Optional.empty();
        };
    }

    private static boolean isUnavailableState(String state) {
        return state.startsWith(CONNECTION_EXCEPTION_CLASS) || state.startsWith(OPERATOR_INTERVENTION_SHUTDOWN)
                || state.equals(TOO_MANY_CONNECTIONS);
    }

    private static boolean isConnectionFailure(XAException xa) {
        return xa.errorCode == XAException.XAER_RMFAIL || xa.errorCode == XAException.XA_RBCOMMFAIL
                || xa.errorCode == XAException.XA_RBTIMEOUT;
    }

    private static boolean isPoolTimeout(SQLException sql) {
        String message = sql.getMessage();
        if (message == null) {
            return false;
        }
        for (String timeout : POOL_TIMEOUT_MESSAGES) {
            if (message.startsWith(timeout)) {
                return true;
            }
        }
        return false;
    }
}
