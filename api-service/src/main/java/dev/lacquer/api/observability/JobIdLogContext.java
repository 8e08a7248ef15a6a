package dev.lacquer.api.observability;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Puts the job id of {@code /api/generation-job/{jobId}/...} requests into the logging context ({@code jobId}, the
 * key the worker and the event consumer use too), so every log line written while handling the request carries it:
 * as a field of JSON log lines, or with {@code %X{jobId}} in a text format.
 */
public class JobIdLogContext {

    public static final String KEY = "jobId";

    @ServerRequestFilter
    public void enter(UriInfo uri) {
        String jobId = uri.getPathParameters().getFirst(KEY);
        if (jobId != null && jobId.length() <= 64) {
            MDC.put(KEY, jobId);
        }
    }

    @ServerResponseFilter
    public void leave(ContainerRequestContext request, ContainerResponseContext response) {
        MDC.remove(KEY);
    }
}
