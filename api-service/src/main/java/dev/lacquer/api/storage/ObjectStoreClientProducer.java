package dev.lacquer.api.storage;

import dev.lacquer.api.config.LacquerConfig;
import dev.lacquer.objectstore.ObjectStoreClient;
import dev.lacquer.objectstore.ObjectStoreConnection;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one object-store client of the process, from {@code lacquer.storage}. */
@Singleton
public class ObjectStoreClientProducer {

    @Produces
    @Singleton
    ObjectStoreClient objectStoreClient(LacquerConfig config) {
        return new ObjectStoreClient(ObjectStoreConnection.settings(config.storage()));
    }
}
