package dev.lacquer.objectstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lacquer.testsupport.StackAddresses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client against the real object store of the local stack (s3proxy, which verifies every signature), addressed
 * as {@link StackAddresses} says.
 */
class ObjectStoreClientTest {

    private static final ObjectStoreSettings SETTINGS = new ObjectStoreSettings(
            URI.create(StackAddresses.s3Endpoint()), StackAddresses.s3Region(), StackAddresses.s3Bucket(), true,
            StackAddresses.s3AccessKeyId(), StackAddresses.s3SecretAccessKey(), Duration.ofSeconds(3),
            Duration.ofSeconds(20));

    private static final ObjectStoreClient store = new ObjectStoreClient(SETTINGS);
    private static final HttpClient plainHttp = HttpClient.newHttpClient();

    @AfterAll
    static void close() {
        plainHttp.close();
    }

    @Test
    void storedBytesAreReadBackAndExistUntilDeleted() throws Exception {
        String key = "client-test/" + UUID.randomUUID() + "/image.png";
        byte[] body = randomBytes(70_000);

        store.put(key, body, "image/png", "private, max-age=31536000, immutable");

        assertTrue(store.exists(key));
        assertArrayEquals(body, store.get(key).orElseThrow());
        store.delete(key);
        assertFalse(store.exists(key));
        assertEquals(Optional.empty(), store.get(key));
    }

    @Test
    void aMissingKeyIsAnswerNotAnError() throws Exception {
        String key = "client-test/" + UUID.randomUUID() + "/none.json";

        assertFalse(store.exists(key));
        assertTrue(store.get(key).isEmpty());
        store.delete(key);
    }

    @Test
    void anEmptyBodyIsStored() throws Exception {
        String key = "client-test/" + UUID.randomUUID() + "/empty";
        store.put(key, new byte[0], "application/octet-stream", null);
        assertArrayEquals(new byte[0], store.get(key).orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"with space/and+plus.png", "unicodé/ünïcødé ✓.png", "a//double/slash.png",
            "odd chars !'()*&$@=;:,?#%.png", "tilde~under_dash-dot.png"})
    void keysOfAnyCharactersRoundTripThroughPutGetAndPresignedUrls(String name) throws Exception {
        String key = "client-test/" + UUID.randomUUID() + "/" + name;
        byte[] body = name.getBytes(StandardCharsets.UTF_8);

        store.put(key, body, "text/plain", null);

        assertArrayEquals(body, store.get(key).orElseThrow());
        HttpResponse<byte[]> fetched = plainGet(store.presignedGet(key, Duration.ofMinutes(5)));
        assertEquals(200, fetched.statusCode());
        assertArrayEquals(body, fetched.body());
    }

    @Test
    void aPresignedUrlServesTheObjectWithItsContentTypeToAPlainHttpClient() throws Exception {
        String key = "client-test/" + UUID.randomUUID() + "/design.png";
        byte[] body = randomBytes(5_000);
        store.put(key, body, "image/png", "private, max-age=31536000, immutable");

        HttpResponse<byte[]> fetched = plainGet(store.presignedGet(key, Duration.ofHours(1)));

        assertEquals(200, fetched.statusCode());
        assertArrayEquals(body, fetched.body());
        assertEquals(Optional.of("image/png"), fetched.headers().firstValue("Content-Type"));
        assertEquals(Optional.of("private, max-age=31536000, immutable"),
                fetched.headers().firstValue("Cache-Control"));
    }

    @Test
    void aPresignedUrlWithATamperedSignatureIsRefused() throws Exception {
        String key = "client-test/" + UUID.randomUUID() + "/design.png";
        store.put(key, randomBytes(100), "image/png", null);
        String url = store.presignedGet(key, Duration.ofHours(1));
        String tampered = url.substring(0, url.length() - 1) + (url.endsWith("0") ? "1" : "0");

        assertEquals(403, plainGet(tampered).statusCode());
    }

    @Test
    void theBucketAnswers() throws Exception {
        store.checkBucket(Duration.ofSeconds(3));
    }

    @Test
    void aWrongSecretIsRefusedWithTheStoresErrorCode() {
        ObjectStoreClient wrong = new ObjectStoreClient(SETTINGS.withSecretAccessKey("not-the-secret"));
        ObjectStoreRefusedException refused = assertThrows(ObjectStoreRefusedException.class,
                () -> wrong.put("client-test/" + UUID.randomUUID(), randomBytes(10), "image/png", null));
        assertEquals(403, refused.status());
        assertEquals(Optional.of("SignatureDoesNotMatch"), refused.errorCode());
        assertTrue(refused.getMessage().contains("403"), refused.getMessage());

        ObjectStoreRefusedException head = assertThrows(ObjectStoreRefusedException.class,
                () -> wrong.checkBucket(Duration.ofSeconds(3)));
        assertEquals(403, head.status());
    }

    @Test
    void anUnknownBucketIsRefused() {
        ObjectStoreSettings other = new ObjectStoreSettings(SETTINGS.endpoint(), SETTINGS.region(),
                "no-such-bucket-" + UUID.randomUUID().toString().substring(0, 8), true, SETTINGS.accessKeyId(),
                SETTINGS.secretAccessKey(), SETTINGS.connectTimeout(), SETTINGS.readTimeout());
        ObjectStoreClient client = new ObjectStoreClient(other);
        ObjectStoreRefusedException refused = assertThrows(ObjectStoreRefusedException.class,
                () -> client.put("k", randomBytes(10), "image/png", null));
        assertEquals(404, refused.status());
        assertEquals(Optional.of("NoSuchBucket"), refused.errorCode());
        assertThrows(ObjectStoreRefusedException.class, () -> client.checkBucket(Duration.ofSeconds(3)));
    }

    @Test
    void aStoreNobodyListensOnIsUnavailable() throws Exception {
        ObjectStoreSettings closed = new ObjectStoreSettings(URI.create("http://127.0.0.1:" + closedPort()),
                SETTINGS.region(), SETTINGS.bucket(), true, SETTINGS.accessKeyId(), SETTINGS.secretAccessKey(),
                Duration.ofSeconds(1), Duration.ofSeconds(2));
        ObjectStoreClient client = new ObjectStoreClient(closed);
        ObjectStoreUnavailableException unavailable = assertThrows(ObjectStoreUnavailableException.class,
                () -> client.get("anything"));
        assertEquals(0, unavailable.status());
        assertThrows(ObjectStoreUnavailableException.class, () -> client.checkBucket(Duration.ofSeconds(2)));
    }

    @Test
    void aStoreThatNeverAnswersTimesOutAsUnavailable() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ObjectStoreSettings settings = new ObjectStoreSettings(
                    URI.create("http://127.0.0.1:" + silent.getLocalPort()), SETTINGS.region(), SETTINGS.bucket(),
                    true, SETTINGS.accessKeyId(), SETTINGS.secretAccessKey(), Duration.ofSeconds(1),
                    Duration.ofMillis(300));
            ObjectStoreUnavailableException unavailable = assertThrows(ObjectStoreUnavailableException.class,
                    () -> new ObjectStoreClient(settings).put("k", randomBytes(10), "image/png", null));
            assertTrue(unavailable.getMessage().contains("timed out"), unavailable.getMessage());
        }
    }

    private static HttpResponse<byte[]> plainGet(String url) throws IOException, InterruptedException {
        return plainHttp.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new java.util.Random(length).nextBytes(bytes);
        return bytes;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
