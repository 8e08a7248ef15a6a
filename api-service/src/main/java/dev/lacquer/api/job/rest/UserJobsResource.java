package dev.lacquer.api.job.rest;

import dev.lacquer.api.job.mapping.JobView;
import dev.lacquer.api.job.mapping.PendingGenerations;
import dev.lacquer.api.job.service.JobQueryService;
import dev.lacquer.api.paging.PageRequest;
import dev.lacquer.api.paging.Paged;
import dev.lacquer.api.security.CurrentUser;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

@Path("/api/user")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class UserJobsResource {

    private final JobQueryService queries;
    private final CurrentUser user;

    UserJobsResource(JobQueryService queries, CurrentUser user) {
        this.queries = queries;
        this.user = user;
    }

    /** What the app checks when it opens: active jobs, and finished jobs not yet acknowledged. */
    @GET
    @Path("/pending-generations")
    public PendingGenerations pending() {
        return queries.pending(user.id());
    }

    @GET
    @Path("/generation-jobs")
    public Paged<JobView> history(@QueryParam("page") String page, @QueryParam("size") String size) {
        return queries.history(user.id(), PageRequest.of(page, size));
    }
}
