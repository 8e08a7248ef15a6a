package dev.lacquer.api.support;

import dev.lacquer.testsupport.SdkObjectStore;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.s3.S3Client;

/** The AWS SDK's S3 client for tests to inspect the store with, independent of the service's own client. */
@Singleton
public class SdkS3ClientProducer {

    @Produces
    @Singleton
    S3Client s3() {
        return SdkObjectStore.client();
    }

    void close(@Disposes S3Client s3) {
        s3.close();
    }
}
