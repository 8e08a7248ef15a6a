package dev.lacquer.api.credit;

import dev.lacquer.api.problem.ApiProblem;
import dev.lacquer.api.problem.Problem.FieldError;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

@Path("/api/admin/users/{userId}/credits")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminCreditResource {

    public static final int MAX_GRANT = 10_000;

    private final CreditService credits;

    AdminCreditResource(CreditService credits) {
        this.credits = credits;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public CreditSummary grant(@PathParam("userId") String userId, Grant grant) {
        if (grant == null || grant.amount() == null || grant.amount() < 1 || grant.amount() > MAX_GRANT) {
            throw ApiProblem.validation(List.of(new FieldError("amount", "must be between 1 and " + MAX_GRANT)));
        }
        if (userId == null || !userId.matches("[A-Za-z0-9._@:-]{1,128}")) {
            throw ApiProblem.notFound("User " + userId);
        }
        return credits.grant(userId, grant.amount(), grant.note() == null ? "admin grant" : grant.note());
    }

    public record Grant(Integer amount, String note) {
    }
}
