package dev.lacquer.api.db;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Plain JDBC statements for the hot paths, without Hibernate's query machinery (no persistence context to flush, no
 * query plan to interpret). Inside a transaction the pool hands out the transaction's own connection, the one
 * Hibernate uses too, so these statements see and hold the same rows and locks as the entity work around them;
 * outside one, each call runs on its own auto-committed connection. Parameters are bound by position ({@code ?});
 * an array of UUIDs, Longs or Strings is bound as an SQL array (for {@code = any(?)}).
 */
@ApplicationScoped
public class Sql {

    private final DataSource dataSource;

    Sql(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs an INSERT, UPDATE or DELETE and answers the number of rows it changed. */
    public int update(String sql, Object... parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(c, s, parameters);
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new SqlFailure(sql, e);
        }
    }

    /**
     * In the caller's transaction: its commit returns without waiting for the WAL to reach the disk
     * ({@code synchronous_commit} off for this transaction only; PostgreSQL flushes it within a fraction of a second).
     * Only for writes that a database crash may lose without harm (a rate-limit count; outbox rows that are then sent
     * again, as after a replica's crash): never for a job, a charge, or anything a client was told is stored.
     */
    public void commitWithoutWaitingForFlush() {
        update("set local synchronous_commit to off");
    }

    /** Runs one INSERT, UPDATE or DELETE once per row of parameters, sent as one JDBC batch; nothing when none. */
    public void batch(String sql, List<Object[]> parameterRows) {
        if (parameterRows.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (Object[] parameters : parameterRows) {
                bind(c, s, parameters);
                s.addBatch();
            }
            s.executeBatch();
        } catch (SQLException e) {
            throw new SqlFailure(sql, e);
        }
    }

    /** The rows of a query (or of a statement with RETURNING), each read by {@code row}. */
    public <T> List<T> query(String sql, RowReader<T> row, Object... parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(c, s, parameters);
            try (ResultSet rs = s.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(row.read(rs));
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new SqlFailure(sql, e);
        }
    }

    /** The first column of the only row of a query, as a long. */
    public long queryLong(String sql, Object... parameters) {
        List<Long> values = query(sql, rs -> rs.getLong(1), parameters);
        if (values.size() != 1) {
            throw new IllegalStateException("expected one row, got " + values.size() + ": " + sql);
        }
        return values.get(0);
    }

    private static void bind(Connection c, PreparedStatement s, Object[] parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            Object value = parameters[i];
            switch (value) {
                case null -> s.setNull(i + 1, Types.NULL);
                case UUID[] ids -> s.setArray(i + 1, c.createArrayOf("uuid", ids));
                case Long[] numbers -> s.setArray(i + 1, c.createArrayOf("int8", numbers));
                case String[] texts -> s.setArray(i + 1, c.createArrayOf("varchar", texts));
                case Instant instant -> s.setObject(i + 1, instant.atOffset(ZoneOffset.UTC));
                case String text -> s.setString(i + 1, text);
                default -> s.setObject(i + 1, value);
            }
        }
    }

    /** Reads one row of a result. */
    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** A statement that failed; the driver's exception (SQLState and all) is the cause. */
    public static final class SqlFailure extends RuntimeException {
        SqlFailure(String sql, SQLException cause) {
            super("SQL failed (" + cause.getMessage() + "): " + sql.strip().lines().findFirst().orElse(""), cause);
        }
    }
}
