package dev.lacquer.api.credit;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Operators' (and the fault tests') check that the credit books balance. */
@Path("/api/admin/ledger-audit")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminLedgerResource {

    private final LedgerAudit audit;

    AdminLedgerResource(LedgerAudit audit) {
        this.audit = audit;
    }

    @GET
    public Report audit() {
        List<String> violations = audit.violations();
        return new Report(violations.isEmpty(), violations);
    }

    /** {@code balanced} is true when for every user balance = grants − charges + refunds and every charge is due. */
    public record Report(boolean balanced, List<String> violations) {
    }
}
