package dev.lacquer.api.web;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Headers of the web client's static files ({@code /}, {@code /index.html}, {@code /app/*}): the files carry no
 * version in their names, so browsers revalidate them on every load (a cheap 304 when unchanged) and never mix an
 * old module with a new one; the page gets its Content-Security-Policy and sends no referrer (the sign-in code and
 * stream tickets pass through its URLs).
 */
@ApplicationScoped
public class WebClientHeaders {

    /** Before Quarkus' static resource handler, which would otherwise set a day-long max-age. */
    private static final int BEFORE_STATIC_FILES = -900;

    private final WebContentSecurityPolicy policy;

    WebClientHeaders(WebContentSecurityPolicy policy) {
        this.policy = policy;
    }

    void register(@Observes Router router) {
        router.route().order(BEFORE_STATIC_FILES).handler(this::addHeaders);
    }

    private void addHeaders(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        HttpMethod method = ctx.request().method();
        boolean page = path.equals("/") || path.equals("/index.html");
        if ((method == HttpMethod.GET || method == HttpMethod.HEAD) && (page || path.startsWith("/app/"))) {
            ctx.addHeadersEndHandler(ignored -> {
                var headers = ctx.response().headers();
                headers.set("Cache-Control", "no-cache");
                headers.set("X-Content-Type-Options", "nosniff");
                headers.set("Referrer-Policy", "no-referrer");
                if (page) {
                    headers.set("Content-Security-Policy", policy.value());
                }
            });
        }
        ctx.next();
    }
}
