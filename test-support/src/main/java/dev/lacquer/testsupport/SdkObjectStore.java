package dev.lacquer.testsupport;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * The stack's object store through the AWS SDK: for tests that check what a service stored (or put what a service
 * reads) with a client independent of the services' own object-store client.
 */
public final class SdkObjectStore {

    private SdkObjectStore() {
    }

    /** A new client of the store {@link StackAddresses} names (path style; checksums only where required, as s3proxy
     * rejects the SDK's default ones). Close it when done. */
    public static S3Client client() {
        return S3Client.builder()
                .endpointOverride(URI.create(StackAddresses.s3Endpoint()))
                .region(Region.of(StackAddresses.s3Region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        StackAddresses.s3AccessKeyId(), StackAddresses.s3SecretAccessKey())))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }
}
