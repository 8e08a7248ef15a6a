package dev.lacquer.worker.health;

import dev.lacquer.worker.storage.ResultStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness of the object store: the results bucket must answer a HEAD request (within a few seconds). */
@Readiness
@ApplicationScoped
public class StorageReadinessCheck implements HealthCheck {

    private final ResultStore store;

    StorageReadinessCheck(ResultStore store) {
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            store.headBucket();
            return HealthCheckResponse.named("object-store").up().withData("bucket", store.bucket()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return down(e);
        } catch (RuntimeException e) {
            return down(e);
        }
    }

    private HealthCheckResponse down(Exception e) {
        return HealthCheckResponse.named("object-store").down()
                .withData("bucket", store.bucket())
                .withData("error", String.valueOf(e.getMessage()))
                .build();
    }
}
