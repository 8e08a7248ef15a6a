package dev.lacquer.api.storage;

import dev.lacquer.api.config.LacquerConfig;
import dev.lacquer.objectstore.ObjectStoreClient;
import dev.lacquer.objectstore.ObjectStoreSettings;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one object-store client of the process, from {@code lacquer.storage}. */
@Singleton
public class ObjectStoreClientProducer {

    @Produces
    @Singleton
    ObjectStoreClient objectStoreClient(LacquerConfig config) {
        LacquerConfig.Storage storage = config.storage();
        return new ObjectStoreClient(new ObjectStoreSettings(storage.endpoint(), storage.region(), storage.bucket(),
                storage.pathStyle(), storage.accessKeyId(), storage.secretAccessKey(), storage.connectTimeout(),
                storage.requestTimeout()));
    }
}
