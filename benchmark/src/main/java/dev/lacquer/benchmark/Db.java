package dev.lacquer.benchmark;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/** One JDBC connection to the stack's PostgreSQL, opened again after an outage. Not thread-safe: one per thread. */
public final class Db implements AutoCloseable {

    /** Work on a connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final String url;
    private final String user;
    private final String password;
    private Connection connection;

    public Db(Map<String, String> infra) {
        this(infra.get("DB_URL"), infra.get("DB_USER"), infra.get("DB_PASSWORD"));
    }

    public Db(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    public Db copy() {
        return new Db(url, user, password);
    }

    public Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = DriverManager.getConnection(url + (url.contains("?") ? "&" : "?")
                    + "connectTimeout=5&socketTimeout=60&ApplicationName=lacquer-benchmark", user, password);
        }
        return connection;
    }

    /** Runs the work; on an SQL error the connection is dropped (a new one is opened next time) and it rethrows. */
    public <T> T with(Work<T> work) throws SQLException {
        try {
            return work.run(connection());
        } catch (SQLException e) {
            closeQuietly();
            throw e;
        }
    }

    public long count(String sql, Object... params) throws SQLException {
        return with(c -> {
            try (var statement = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    statement.setObject(i + 1, params[i]);
                }
                try (var rs = statement.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    private void closeQuietly() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // already broken
        }
        connection = null;
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
