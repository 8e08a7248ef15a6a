package dev.lacquer.api.credit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import jakarta.enterprise.context.ApplicationScoped;
import javax.sql.DataSource;

/**
 * The credit invariants, checked straight from the database (tests, the fault soak and operators
 * call it through {@code GET /api/admin/ledger-audit}): for every user,
 * balance = grants − charges + refunds; at most one charge and one refund per job; a charge
 * only for a job that started; a refund only where there is a charge.
 */
@ApplicationScoped
public class LedgerAudit {

    private final DataSource dataSource;

    LedgerAudit(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Every violated invariant, described; empty when the books balance. */
    public List<String> violations() {
        List<String> problems = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            collect(c, problems, """
                    select a.user_id, a.balance, coalesce(sum(case l.kind when 'grant' then l.amount
                           when 'charge' then -l.amount else l.amount end), 0) as ledger
                      from credit_accounts a left join credit_ledger l on l.user_id = a.user_id
                     group by a.user_id, a.balance
                    having a.balance <> coalesce(sum(case l.kind when 'grant' then l.amount
                           when 'charge' then -l.amount else l.amount end), 0)""",
                    rs -> "balance of " + rs.getString(1) + " is " + rs.getLong(2) + ", ledger says " + rs.getLong(3));
            collect(c, problems, """
                    select l.job_id from credit_ledger l join generation_jobs j on j.id = l.job_id
                     where l.kind = 'charge' and j.started_at is null""",
                    rs -> "job " + rs.getString(1) + " charged without starting");
            collect(c, problems, """
                    select j.id from generation_jobs j
                     where j.started_at is not null and j.cost > 0
                       and not exists (select 1 from credit_ledger l where l.job_id = j.id and l.kind = 'charge')""",
                    rs -> "job " + rs.getString(1) + " started without a charge");
            collect(c, problems, """
                    select r.job_id from credit_ledger r where r.kind = 'refund'
                       and not exists (select 1 from credit_ledger c where c.job_id = r.job_id and c.kind = 'charge')""",
                    rs -> "job " + rs.getString(1) + " refunded without a charge");
            collect(c, problems, "select user_id from credit_accounts where balance < 0",
                    rs -> "negative balance for " + rs.getString(1));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return problems;
    }

    private interface Row {
        String describe(ResultSet rs) throws SQLException;
    }

    private static void collect(Connection c, List<String> problems, String sql, Row row) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                problems.add(row.describe(rs));
            }
        }
    }
}
