package dev.lacquer.benchmark;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import dev.lacquer.objectstore.ObjectStoreClient;
import dev.lacquer.objectstore.ObjectStoreSettings;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The object store: {@link #servicesClient} is the client the services use (for the ceiling, which issues a job's
 * calls as they do); {@link #client} the AWS SDK (path style, no checksums: s3proxy rejects them), an independent
 * implementation for checking afterwards what the services stored.
 */
public final class Store {

    private Store() {
    }

    public static ObjectStoreClient servicesClient(Map<String, String> infra) {
        return new ObjectStoreClient(new ObjectStoreSettings(URI.create(infra.get("S3_ENDPOINT")),
                infra.getOrDefault("S3_REGION", "us-east-1"), infra.getOrDefault("S3_BUCKET", "lacquer"),
                !"false".equals(infra.get("S3_PATH_STYLE")), infra.get("S3_ACCESS_KEY_ID"),
                infra.get("S3_SECRET_ACCESS_KEY"), Duration.ofSeconds(3), Duration.ofSeconds(30)));
    }

    public static S3Client client(Map<String, String> infra) {
        return S3Client.builder()
                .endpointOverride(URI.create(infra.get("S3_ENDPOINT")))
                .region(Region.of(infra.getOrDefault("S3_REGION", "us-east-1")))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        infra.get("S3_ACCESS_KEY_ID"), infra.get("S3_SECRET_ACCESS_KEY"))))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true)
                        .build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    /** Every key under a prefix. */
    public static Set<String> keys(S3Client s3, String bucket, String prefix) {
        Set<String> keys = new HashSet<>();
        for (var page : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build())) {
            for (S3Object object : page.contents()) {
                keys.add(object.key());
            }
        }
        return keys;
    }

    /**
     * A PNG like the benchmark generator's (a square of diagonal two-colour stripes), for object-store writes of
     * the size a job writes.
     */
    public static byte[] benchmarkPng(int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        int stripe = Math.max(2, size / 16);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                image.setRGB(x, y, ((x + y) / stripe) % 2 == 0 ? 0xF4E1D2 : 0xC0C0FF);
            }
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
