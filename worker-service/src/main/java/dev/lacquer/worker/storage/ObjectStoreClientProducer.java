package dev.lacquer.worker.storage;

import dev.lacquer.objectstore.ObjectStoreClient;
import dev.lacquer.objectstore.ObjectStoreSettings;
import dev.lacquer.worker.config.WorkerConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one object-store client of the process, from {@code lacquer.worker.storage}. */
@Singleton
public class ObjectStoreClientProducer {

    @Produces
    @Singleton
    ObjectStoreClient objectStoreClient(WorkerConfig config) {
        WorkerConfig.Storage storage = config.storage();
        return new ObjectStoreClient(new ObjectStoreSettings(storage.endpoint(), storage.region(), storage.bucket(),
                storage.pathStyle(), storage.accessKeyId(), storage.secretAccessKey(), storage.connectTimeout(),
                storage.callTimeout()));
    }
}
