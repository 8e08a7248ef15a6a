package dev.lacquer.api.problem;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Problem bodies for what the HTTP layer refuses before the REST layer sees the request: a body
 * whose declared length is over the limit is answered 413 at once, without reading it.
 */
@ApplicationScoped
public class HttpLayerProblems {

    /** Runs before Quarkus' body handler reads anything. */
    private static final int BEFORE_BODY_HANDLER = -1_000;

    private final long maxBodyBytes;

    HttpLayerProblems(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.maxBodyBytes = maxBodySize.asLongValue();
    }

    void register(@Observes Router router) {
        router.route().order(BEFORE_BODY_HANDLER).handler(this::refuseOversizedBodies);
    }

    private void refuseOversizedBodies(RoutingContext ctx) {
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && isOver(length)) {
            Problem problem = new Problem("https://lacquer.dev/problems/payload-too-large", "Payload too large", 413,
                    "The request body is larger than " + maxBodyBytes / (1024 * 1024) + " MB.", ctx.request().path(),
                    null, null);
            ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .putHeader(HttpHeaders.CONNECTION, "close").end(Json.encode(problem));
            return;
        }
        ctx.next();
    }

    private boolean isOver(String contentLength) {
        try {
            return Long.parseLong(contentLength.strip()) > maxBodyBytes;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
