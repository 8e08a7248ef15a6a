package dev.lacquer.api.storage;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the bucket answers: without it no photo can be stored and no URL served. */
@Readiness
@ApplicationScoped
public class ObjectStoreHealthCheck implements HealthCheck {

    private final ObjectStore store;

    ObjectStoreHealthCheck(ObjectStore store) {
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            store.bucketReachable();
            return HealthCheckResponse.up("object-store");
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("object-store").down().withData("error", e.getClass().getSimpleName())
                    .build();
        }
    }
}
