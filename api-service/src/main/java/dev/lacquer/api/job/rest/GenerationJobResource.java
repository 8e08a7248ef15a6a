package dev.lacquer.api.job.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lacquer.api.idempotency.IdempotencyKeys;
import dev.lacquer.api.idempotency.IdempotencyKeys.StoredResponse;
import dev.lacquer.api.job.mapping.JobView;
import dev.lacquer.api.job.mapping.JobViews;
import dev.lacquer.api.job.repository.GenerationJob;
import dev.lacquer.api.job.service.JobCommandService;
import dev.lacquer.api.job.service.JobCreationService;
import dev.lacquer.api.job.service.JobQueryService;
import dev.lacquer.api.job.service.NewJob;
import dev.lacquer.api.job.service.NewJobValidator;
import dev.lacquer.api.photo.PhotoDecoder;
import dev.lacquer.api.security.CurrentUser;
import dev.lacquer.api.security.Sha256;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.multipart.FileUpload;

@Path("/api")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class GenerationJobResource {

    private final JobCreationService creation;
    private final JobCommandService commands;
    private final JobQueryService queries;
    private final NewJobValidator validator;
    private final JobViews views;
    private final CurrentUser user;
    private final IdempotencyKeys idempotencyKeys;
    private final ObjectMapper json;
    private final PhotoDecoder photos;
    private final ManagedExecutor workers;

    GenerationJobResource(JobCreationService creation, JobCommandService commands, JobQueryService queries,
                          NewJobValidator validator, JobViews views, CurrentUser user,
                          IdempotencyKeys idempotencyKeys, ObjectMapper json, PhotoDecoder photos,
                          ManagedExecutor workers) {
        this.creation = creation;
        this.commands = commands;
        this.queries = queries;
        this.validator = validator;
        this.views = views;
        this.user = user;
        this.idempotencyKeys = idempotencyKeys;
        this.json = json;
        this.photos = photos;
        this.workers = workers;
    }

    /**
     * Accepts a generation and answers at once with the job id; the work goes on without the client.
     * <p>
     * Non-blocking so that Quarkus REST reads the whole body on the I/O thread first (up to
     * {@code quarkus.rest.input-buffer-size}; a larger body goes on as a stream on a worker thread): a slow upload
     * holds no worker thread, and the body is not handed to a blocked worker chunk by chunk. The work itself (the
     * photo's decoding, the object store, PostgreSQL) runs on a worker thread, with the request's contexts.
     */
    @POST
    @Path("/generate-nail-design-job")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @NonBlocking
    public Uni<Response> create(@HeaderParam("Idempotency-Key") String idempotencyKey, @Context HttpHeaders headers,
                                CreateJobRequest request) {
        requireJsonAccepted(headers);
        String userId = user.id();
        return Uni.createFrom().item(() -> createNow(userId, idempotencyKey, request)).runSubscriptionOn(workers);
    }

    private Response createNow(String userId, String idempotencyKey, CreateJobRequest request) {
        return createAnswering(userId, idempotencyKey, validator.validate(request), () -> requestHash(request));
    }

    /**
     * The same create as a {@code multipart/form-data} upload (fields {@code prompt}, {@code designSettings} as JSON
     * text, {@code imageCount}, file part {@code originalImage}): same validation, same job, same answers.
     */
    @POST
    @Path("/generate-nail-design-job")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    public Response createFromForm(@HeaderParam("Idempotency-Key") String idempotencyKey,
                                   @Context HttpHeaders headers, CreateJobForm form) {
        requireJsonAccepted(headers);
        CreateJobForm.Fields fields = form.read(json);
        FileUpload file = form.originalImage;
        NewJob newJob = validator.validate(fields.prompt(), fields.designSettings(), fields.imageCount(),
                fields.errors(), file == null ? null : () -> photos.fromFile(file.uploadedFile(), file.size()));
        return createAnswering(user.id(), idempotencyKey, newJob, () -> requestHash(newJob));
    }

    /**
     * Creates the job and answers 202; with an {@code Idempotency-Key}, a repeat of the same request (same hash)
     * gets the first answer again instead of a second job.
     */
    private Response createAnswering(String userId, String idempotencyKey, NewJob newJob, Supplier<String> requestHash) {
        if (idempotencyKey == null) {
            return accepted(creation.create(userId, newJob));
        }
        StoredResponse response = idempotencyKeys.run(userId, idempotencyKey, requestHash.get(),
                () -> stored(creation.create(userId, newJob)));
        JobCreated created = read(response.body());
        return Response.status(response.status()).type(MediaType.APPLICATION_JSON).entity(created)
                .header("Location", "/api/generation-job/" + created.jobId()).build();
    }

    /**
     * With two create methods on one path the router picks by Content-Type and no longer refuses an Accept it cannot
     * serve: refuse it here, before anything is created.
     */
    private static void requireJsonAccepted(HttpHeaders headers) {
        if (headers.getAcceptableMediaTypes().stream().noneMatch(t -> t.isCompatible(MediaType.APPLICATION_JSON_TYPE))) {
            throw new NotAcceptableException();
        }
    }

    /** A multipart request's identity: its validated fields and the stored photo's digest. */
    private String requestHash(NewJob job) {
        try {
            return Sha256.hex(json.writeValueAsBytes(java.util.Map.of("prompt", job.prompt(),
                    "designSettings", job.designSettings(), "imageCount", job.imageCount(),
                    "photo", Sha256.hex(job.photo().bytes()))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Response accepted(GenerationJob job) {
        return Response.status(Response.Status.ACCEPTED).type(MediaType.APPLICATION_JSON).entity(JobCreated.of(job))
                .header("Location", "/api/generation-job/" + job.id).build();
    }

    private StoredResponse stored(GenerationJob job) {
        try {
            return new StoredResponse(Response.Status.ACCEPTED.getStatusCode(), json.writeValueAsString(JobCreated.of(job)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JobCreated read(String body) {
        try {
            return json.readValue(body, JobCreated.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String requestHash(CreateJobRequest request) {
        try {
            return Sha256.hex(json.writeValueAsBytes(request));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @GET
    @Path("/generation-job/{jobId}")
    public JobView job(@PathParam("jobId") String jobId) {
        return queries.job(user.id(), JobIds.parse(jobId));
    }

    @POST
    @Path("/generation-job/{jobId}/auto-save")
    public SavedLooks autoSave(@PathParam("jobId") String jobId) {
        return new SavedLooks(commands.autoSave(user.id(), JobIds.parse(jobId)));
    }

    @POST
    @Path("/generation-job/{jobId}/seen")
    public JobView seen(@PathParam("jobId") String jobId) {
        return views.of(commands.acknowledge(user.id(), JobIds.parse(jobId)));
    }

    @POST
    @Path("/generation-job/{jobId}/cancel")
    public RestResponse<JobView> cancel(@PathParam("jobId") String jobId) {
        GenerationJob job = commands.cancel(user.id(), JobIds.parse(jobId));
        return job.status.isTerminal() ? RestResponse.ok(views.of(job))
                : RestResponse.ResponseBuilder.create(RestResponse.Status.ACCEPTED, views.of(job)).build();
    }

    public record JobCreated(UUID jobId, String status) {
        static JobCreated of(GenerationJob job) {
            return new JobCreated(job.id, job.status.wire());
        }
    }

    public record SavedLooks(List<UUID> lookIds) {
    }
}
