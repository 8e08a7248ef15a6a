package dev.lacquer.api.problem;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransactionException;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.HeuristicMixedException;
import jakarta.transaction.RollbackException;
import java.sql.SQLException;
import javax.transaction.xa.XAException;
import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.exception.GenericJDBCException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.postgresql.util.ServerErrorMessage;

/**
 * Which failures answer 503 (the database cannot serve the request now) and which stay 500 (a bug), built from the
 * exception types the pool, the driver, Hibernate and Narayana really throw, wrapped the way they wrap them.
 */
class DatabaseOutageTest {

    @Test
    void aPoolAcquisitionTimeoutWrappedByHibernateIsAnOutage() {
        // Agroal's ConnectionPool throws a bare SQLException (no SQLState) when no connection came free in time;
        // Hibernate converts it while acquiring the connection, and the REST layer may wrap it again.
        SQLException timeout = new SQLException("Sorry, acquisition timeout!");
        var hibernate = new GenericJDBCException("Unable to acquire JDBC Connection", timeout);
        assertTrue(DatabaseOutage.isOutage(hibernate));
        assertTrue(DatabaseOutage.isOutage(new PersistenceException("could not load", hibernate)));
        assertTrue(DatabaseOutage.isOutage(new SQLException("Acquisition timeout while waiting for new connection")));
    }

    @Test
    void aCommitThatFailedWhilePostgresRestartedIsAnOutage() {
        // Narayana: the local resource's commit failed on a dead connection; the XAException (with the driver's
        // exception as cause) is attached to the RollbackException as a suppressed exception.
        RollbackException commit = new RollbackException("ARJUNA016053: Could not commit transaction.");
        XAException resource = new XAException(XAException.XA_RBCOMMFAIL);
        resource.initCause(new PSQLException("An I/O error occurred while sending to the backend.",
                PSQLState.CONNECTION_FAILURE));
        commit.addSuppressed(resource);
        assertTrue(DatabaseOutage.isOutage(commit));
        assertTrue(DatabaseOutage.isOutage(new QuarkusTransactionException(commit)));
    }

    @Test
    void aCommitFailureWithoutAnyDetailIsStillAnOutage() {
        assertTrue(DatabaseOutage.isOutage(new RollbackException("ARJUNA016102: The transaction is not active!")));
        assertTrue(DatabaseOutage.isOutage(new QuarkusTransactionException(new HeuristicMixedException())));
        assertTrue(DatabaseOutage.isOutage(new XAException(XAException.XAER_RMFAIL)));
    }

    @Test
    void theServerShuttingDownOrTheConnectionBreakingIsAnOutage() {
        PSQLException adminShutdown = new PSQLException(new ServerErrorMessage(
                "SFATAL\0C57P01\0Mterminating connection due to administrator command\0"));
        assertTrue(DatabaseOutage.isOutage(new PersistenceException(adminShutdown)));
        PSQLException starting = new PSQLException(new ServerErrorMessage(
                "SFATAL\0C57P03\0Mthe database system is starting up\0"));
        assertTrue(DatabaseOutage.isOutage(starting));
        PSQLException refused = new PSQLException("Connection to 127.0.0.1:15432 refused.",
                PSQLState.CONNECTION_UNABLE_TO_CONNECT);
        assertTrue(DatabaseOutage.isOutage(new JDBCConnectionException("could not connect", refused)));
        assertTrue(DatabaseOutage.isOutage(new SQLException("Exception while creating new connection", refused)));
    }

    @Test
    void aBugIsNotAnOutage() {
        PSQLException duplicate = new PSQLException(new ServerErrorMessage(
                "SERROR\0C23505\0Mduplicate key value violates unique constraint \"looks_one_per_job_image\"\0"));
        assertFalse(DatabaseOutage.isOutage(new ConstraintViolationException("insert", duplicate,
                "looks_one_per_job_image")));
        assertFalse(DatabaseOutage.isOutage(new PSQLException(new ServerErrorMessage(
                "SERROR\0C42P01\0Mrelation \"nope\" does not exist\0"))));
        assertFalse(DatabaseOutage.isOutage(new IllegalStateException("boom")));
        assertFalse(DatabaseOutage.isOutage(null));
    }

    @Test
    void messageTextCountsOnlyWhereThereIsNeitherTypeNorState() {
        // The pool's words in another exception type, or beside a SQLState that says something else, are not a
        // pool timeout.
        assertFalse(DatabaseOutage.isOutage(new IllegalStateException("Sorry, acquisition timeout!")));
        assertFalse(DatabaseOutage.isOutage(new SQLException("Sorry, acquisition timeout!", "42601")));
    }

    @Test
    void aCyclicChainEnds() {
        IllegalStateException first = new IllegalStateException("first");
        IllegalStateException second = new IllegalStateException("second", first);
        first.addSuppressed(second);
        assertFalse(DatabaseOutage.isOutage(second));
    }
}
