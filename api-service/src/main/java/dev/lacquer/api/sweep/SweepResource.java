package dev.lacquer.api.sweep;

import dev.lacquer.api.config.LacquerConfig;
import dev.lacquer.api.problem.ApiProblem;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The seed's cron trigger: {@code Authorization: Bearer <CRON_SECRET>}, compared in constant time. */
@Path("/api/process-generation-jobs")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class SweepResource {

    private final SweepService sweep;
    private final byte[] secret;

    SweepResource(SweepService sweep, LacquerConfig config) {
        this.sweep = sweep;
        this.secret = ("Bearer " + config.sweep().cronSecret()).getBytes(StandardCharsets.UTF_8);
    }

    @POST
    public SweepReport run(@HeaderParam("Authorization") String authorization) {
        byte[] given = authorization == null ? new byte[0] : authorization.getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(secret, given)) {
            throw ApiProblem.unauthorized("The cron secret is missing or wrong.");
        }
        return sweep.sweep();
    }
}
