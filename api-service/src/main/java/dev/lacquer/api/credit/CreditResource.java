package dev.lacquer.api.credit;

import dev.lacquer.api.security.CurrentUser;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/api/user/credits")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class CreditResource {

    private final CreditService credits;
    private final CurrentUser user;

    CreditResource(CreditService credits, CurrentUser user) {
        this.credits = credits;
        this.user = user;
    }

    @GET
    public CreditSummary credits() {
        return credits.summary(user.id());
    }
}
