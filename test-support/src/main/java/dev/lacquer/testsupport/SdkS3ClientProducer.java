package dev.lacquer.testsupport;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The AWS SDK's S3 client for a service's tests to inspect the store with, independent of the service's own client:
 * inject {@code S3Client}. A bean of every @QuarkusTest with this jar on its class path (META-INF/beans.xml).
 */
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
