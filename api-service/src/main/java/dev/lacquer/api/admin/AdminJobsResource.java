package dev.lacquer.api.admin;

import dev.lacquer.api.job.mapping.JobView;
import dev.lacquer.api.paging.PageRequest;
import dev.lacquer.api.paging.Paged;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The seed's monitoring queries as endpoints, for operators with the admin role. */
@Path("/api/admin")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminJobsResource {

    private final AdminJobsService jobs;

    AdminJobsResource(AdminJobsService jobs) {
        this.jobs = jobs;
    }

    /** Jobs pending or processing, oldest first. */
    @GET
    @Path("/jobs/active")
    public List<AdminJobsService.AdminJob> active() {
        return jobs.active();
    }

    /** Completed jobs whose designs are not in the collection yet. */
    @GET
    @Path("/jobs/unsaved")
    public List<AdminJobsService.AdminJob> unsaved() {
        return jobs.unsaved();
    }

    /** Failed jobs by error code, with the most recent ones. */
    @GET
    @Path("/jobs/failures")
    public AdminJobsService.Failures failures() {
        return jobs.failures();
    }

    @GET
    @Path("/users/{userId}/jobs")
    public Paged<JobView> history(@PathParam("userId") String userId, @QueryParam("page") String page,
                                  @QueryParam("size") String size) {
        return jobs.history(userId, PageRequest.of(page, size));
    }

    /**
     * Sends a failed job (for example one whose events were dead-lettered) back for processing.
     * The ledger allows one charge per job, so a job charged before is not charged again.
     */
    @POST
    @Path("/jobs/{jobId}/requeue")
    public JobView requeue(@PathParam("jobId") String jobId) {
        return jobs.requeue(jobId);
    }
}
