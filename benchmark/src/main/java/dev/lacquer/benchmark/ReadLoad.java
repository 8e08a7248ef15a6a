package dev.lacquer.benchmark;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * GET requests at high rates, for the read-capacity steps of scenario 4: a Vert.x HTTP/1.1 client on one event
 * loop with a bounded pool of keep-alive connections, the way a load balancer or many polling apps reach a replica.
 * {@code java.net.http.HttpClient} (one selector thread, futures and an executor hop per request) spent more CPU
 * per request than the API answering it, on the same two cores, so the generator capped what the API could show.
 * Requests beyond the pool wait in the client's queue; that wait counts in the latency (measured from the due time
 * by the caller), so a slow server still shows.
 */
public final class ReadLoad implements AutoCloseable {

    /** Connections kept to the API: far more than are busy at once at the rates measured (rate × latency). */
    public static final int CONNECTIONS = 64;

    private final Vertx vertx;
    private final HttpClient http;
    private final URI base;

    public ReadLoad(String baseUrl) {
        this.base = URI.create(baseUrl);
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setPipelining(false)
                        .setConnectTimeout(5_000).setIdleTimeout(60).setIdleTimeoutUnit(TimeUnit.SECONDS),
                new PoolOptions().setHttp1MaxSize(CONNECTIONS).setMaxWaitQueueSize(-1));
    }

    /**
     * GET {@code path} with the bearer token (none when null); completes with the status code once the whole body
     * has arrived.
     */
    public CompletableFuture<Integer> get(String token, String path) {
        CompletableFuture<Integer> answer = new CompletableFuture<>();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(base.getHost())
                .setPort(base.getPort()).setURI(path).setTimeout(30_000);
        if (token != null) {
            options.putHeader("Authorization", "Bearer " + token);
        }
        http.request(options)
                .compose(request -> request.send().compose(response -> response.body()
                        .map(body -> response.statusCode())))
                .onComplete(result -> {
                    if (result.succeeded()) {
                        answer.complete(result.result());
                    } else {
                        answer.completeExceptionally(result.cause());
                    }
                });
        return answer;
    }

    @Override
    public void close() {
        http.close().toCompletionStage().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null)
                .join();
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null)
                .join();
    }
}
