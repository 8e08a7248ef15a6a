package dev.lacquer.benchmark;

import java.sql.SQLException;
import java.util.Locale;

/**
 * PostgreSQL's own count of the work done: transactions ended in the benchmark's database (every client's, the
 * benchmark's tracker among them), WAL written, and WAL flushes to disk (each commit that waits for the disk needs
 * one, unless a concurrent commit's flush covered it; {@code pg_stat_wal.wal_sync}, PostgreSQL 14–17). Per job these
 * move far less with the host's speed than CPU figures do, so a change that batches or drops work shows in them even
 * when two runs' CPU figures differ by host noise. PostgreSQL publishes a backend's counts within about a second, so
 * over a phase of 20 s they are within a few percent.
 */
public record PgActivity(long transactions, long walBytes, long walFlushes) {

    public static PgActivity read(Db db) throws SQLException {
        return db.with(c -> {
            try (var statement = c.createStatement(); var rs = statement.executeQuery("""
                    select xact_commit + xact_rollback, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint,
                           (select wal_sync from pg_stat_wal)
                      from pg_stat_database where datname = current_database()""")) {
                rs.next();
                return new PgActivity(rs.getLong(1), rs.getLong(2), rs.getLong(3));
            }
        });
    }

    public PgActivity since(PgActivity before) {
        return new PgActivity(transactions - before.transactions, walBytes - before.walBytes,
                walFlushes - before.walFlushes);
    }

    /** "2.7 transactions, 11.6 KB of WAL and 1.4 WAL flushes to disk per job". */
    public String perJob(long jobs) {
        if (jobs == 0) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.1f transactions, %.1f KB of WAL and %.2f WAL flushes to disk per job",
                (double) transactions / jobs, walBytes / 1024.0 / jobs, (double) walFlushes / jobs);
    }
}
