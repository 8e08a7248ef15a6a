package dev.lacquer.worker.storage;

import dev.lacquer.objectstore.ObjectStoreClient;
import dev.lacquer.objectstore.ObjectStoreConnection;
import dev.lacquer.worker.config.WorkerConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one object-store client of the process, from {@code lacquer.worker.storage}. */
@Singleton
public class ObjectStoreClientProducer {

    @Produces
    @Singleton
    ObjectStoreClient objectStoreClient(WorkerConfig config) {
        return new ObjectStoreClient(ObjectStoreConnection.settings(config.storage()));
    }
}
