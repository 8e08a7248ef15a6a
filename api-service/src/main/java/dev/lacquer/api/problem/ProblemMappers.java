package dev.lacquer.api.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.lacquer.objectstore.ObjectStoreUnavailableException;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error leaves as application/problem+json. Bodies never carry class names, stack traces
 * or SQL; an unexpected error carries an error id that is also in the one log line about it.
 */
public class ProblemMappers {

    private static final String TYPE_BASE = "https://lacquer.dev/problems/";
    private static final int RETRY_AFTER_OUTAGE_SECONDS = 5;

    @ServerExceptionMapper
    public RestResponse<Problem> apiProblem(ApiProblem problem, HttpServerRequest request) {
        ApiProblem.Credits credits = problem.credits();
        RestResponse.ResponseBuilder<Problem> response = builder(problem.status(), new Problem(TYPE_BASE + problem.slug(), problem.title(), problem.status(),
                        problem.getMessage(), request.path(), problem.errors(), null,
                        credits == null ? null : credits.needed(), credits == null ? null : credits.available()))
                .type(Problem.MEDIA_TYPE);
        if (problem.retryAfterSeconds() != null) {
            response.header("Retry-After", problem.retryAfterSeconds());
        }
        return response.build();
    }

    @ServerExceptionMapper({AuthenticationFailedException.class, UnauthorizedException.class})
    public RestResponse<Problem> unauthorized(RuntimeException ignored, HttpServerRequest request) {
        return builder(401, problem(401, "unauthorized", "Unauthorized",
                        "A valid bearer token is required.", request))
                .type(Problem.MEDIA_TYPE).header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper
    public RestResponse<Problem> forbidden(ForbiddenException ignored, HttpServerRequest request) {
        return of(403, "forbidden", "Forbidden", "You are not allowed to do this.", request);
    }

    @ServerExceptionMapper({JsonProcessingException.class, JsonMappingException.class, MismatchedInputException.class,
            InvalidFormatException.class, ValueInstantiationException.class, StreamConstraintsException.class})
    public RestResponse<Problem> unreadableJson(Exception e, HttpServerRequest request) {
        return of(400, "malformed-json", "Malformed JSON", "The request body is not valid JSON for this endpoint.",
                request);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> webApplication(WebApplicationException e, HttpServerRequest request) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, request);
        }
        Response.StatusType info = Response.Status.fromStatusCode(status);
        String title = info == null ? "Error" : info.getReasonPhrase();
        String detail = switch (status) {
            case 400 -> "The request could not be read.";
            case 404 -> "Nothing is here.";
            case 405 -> "This method is not allowed here.";
            case 406 -> "This resource answers application/json only.";
            case 413 -> "The request body is too large.";
            case 415 -> "This content type is not supported here.";
            default -> title;
        };
        return of(status, slug(title), title, detail, request);
    }

    @ServerExceptionMapper(priority = 10_000)
    public RestResponse<Problem> unexpected(Throwable e, HttpServerRequest request) {
        if (clientClosedConnection(e)) {
            // Not our error: the client gave up (app closed, network lost) before it sent the whole request.
            Log.debugf("client closed the connection during %s %s", request.method(), request.path());
            return of(400, "request-incomplete", "Request incomplete",
                    "The connection closed before the whole request arrived.", request);
        }
        Optional<String> outage = DatabaseOutage.reason(e);
        if (outage.isPresent()) {
            Log.warnf("database unavailable on %s %s: %s (%s: %s)", request.method(), request.path(), outage.get(),
                    e.getClass().getSimpleName(), e.getMessage());
            return serviceUnavailable(request);
        }
        if (e instanceof ObjectStoreUnavailableException store) {
            Log.warnf("object store unavailable on %s %s: %s", request.method(), request.path(), store.getMessage());
            return serviceUnavailable(request);
        }
        String errorId = UUID.randomUUID().toString();
        Log.errorf(e, "error %s on %s %s", errorId, request.method(), request.path());
        Problem body = new Problem(TYPE_BASE + "internal", "Internal error", 500,
                "Something went wrong on our side. Quote error id " + errorId + " to support.", request.path(), null,
                errorId);
        return builder(500, body).type(Problem.MEDIA_TYPE).build();
    }

    private static RestResponse<Problem> serviceUnavailable(HttpServerRequest request) {
        return builder(503, problem(503, "service-unavailable", "Service unavailable",
                "The service is briefly unavailable; please retry.", request))
                .type(Problem.MEDIA_TYPE).header("Retry-After", RETRY_AFTER_OUTAGE_SECONDS).build();
    }

    private static boolean clientClosedConnection(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpClosedException) {
                return true;
            }
        }
        return false;
    }

    private static RestResponse<Problem> of(int status, String slug, String title, String detail,
                                            HttpServerRequest request) {
        return builder(status, problem(status, slug, title, detail, request))
                .type(Problem.MEDIA_TYPE).build();
    }

    private static RestResponse.ResponseBuilder<Problem> builder(int status, Problem body) {
        return RestResponse.ResponseBuilder.<Problem>create(status).entity(body);
    }

    private static Problem problem(int status, String slug, String title, String detail, HttpServerRequest request) {
        return new Problem(TYPE_BASE + slug, title, status, detail, request.path(), null, null);
    }

    private static String slug(String title) {
        return title.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }
}
