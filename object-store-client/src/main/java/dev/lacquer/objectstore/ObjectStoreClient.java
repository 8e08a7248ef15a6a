package dev.lacquer.objectstore;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The calls the services make on their one bucket, each a single signed HTTP/1.1 request (AWS Signature Version 4,
 * {@link RequestSigner}) over one shared JDK {@link HttpClient}, which keeps connections alive between calls.
 *
 * <p>Outcomes: a missing object is a value ({@link Optional#empty()}, {@code false}); a store that cannot answer now
 * (no connection, timeout, 5xx, 408, 429) throws {@link ObjectStoreUnavailableException}; any other refusal
 * {@link ObjectStoreRefusedException}, with the status and the S3 error code. A request that fails on I/O before an
 * answer (typically a kept-alive connection the store had just closed) is sent once more at once: every call here is
 * idempotent. Longer retries are the caller's decision.
 *
 * <p>PUT bodies are signed with their SHA-256 ({@code x-amz-content-sha256}): the store refuses a body changed on the
 * way.
 */
public final class ObjectStoreClient implements AutoCloseable {

    private static final int ATTEMPTS_ON_IO_FAILURE = 2;

    private final ObjectStoreSettings settings;
    private final RequestSigner signer;
    private final HttpClient http;
    /** {@code scheme://host[:port]} requests go to, without a trailing slash. */
    private final String origin;
    /** The {@code Host} header the JDK client sends for {@link #origin} (the port only when not the default). */
    private final String host;
    /** What comes before an encoded key in a request path: {@code /bucket/} (path style) or {@code /}. */
    private final String keyPathPrefix;
    /** The path of the bucket itself, for HEAD bucket. */
    private final String bucketPath;

    public ObjectStoreClient(ObjectStoreSettings settings) {
        this.settings = settings;
        this.signer = new RequestSigner(settings.accessKeyId(), settings.secretAccessKey(), settings.region());
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        URI endpoint = settings.endpoint();
        String hostName = settings.pathStyle() ? endpoint.getHost() : settings.bucket() + "." + endpoint.getHost();
        int port = endpoint.getPort();
        boolean defaultPort = port == -1 || port == ("https".equalsIgnoreCase(endpoint.getScheme()) ? 443 : 80);
        this.host = defaultPort ? hostName : hostName + ":" + port;
        this.origin = endpoint.getScheme() + "://" + host;
        String basePath = endpoint.getRawPath() == null ? "" : endpoint.getRawPath().replaceAll("/+$", "");
        String bucketSegment = RequestSigner.encodePath(settings.bucket());
        this.bucketPath = settings.pathStyle() ? basePath + "/" + bucketSegment : basePath + "/";
        this.keyPathPrefix = settings.pathStyle() ? bucketPath + "/" : bucketPath;
    }

    public String bucket() {
        return settings.bucket();
    }

    /** Stores {@code body} under {@code key}, replacing what was there. */
    public void put(String key, byte[] body, String contentType, String cacheControl) throws InterruptedException {
        HttpRequest.Builder request = signed("PUT", keyPath(key), RequestSigner.payloadHash(body))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", contentType);
        if (cacheControl != null) {
            request.header("Cache-Control", cacheControl);
        }
        HttpResponse<byte[]> response = send("PUT " + key, request.build());
        requireSuccess("PUT " + key, response);
    }

    /** The object's bytes, or empty when there is no object under {@code key}. */
    public Optional<byte[]> get(String key) throws InterruptedException {
        HttpResponse<byte[]> response = send("GET " + key,
                signed("GET", keyPath(key), RequestSigner.EMPTY_PAYLOAD_HASH).GET().build());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        requireSuccess("GET " + key, response);
        return Optional.of(response.body());
    }

    /** Whether an object is stored under {@code key} (a HEAD request: nothing is downloaded). */
    public boolean exists(String key) throws InterruptedException {
        HttpResponse<byte[]> response = send("HEAD " + key,
                signed("HEAD", keyPath(key), RequestSigner.EMPTY_PAYLOAD_HASH).HEAD().build());
        if (response.statusCode() == 404) {
            return false;
        }
        requireSuccess("HEAD " + key, response);
        return true;
    }

    /** Removes the object under {@code key}; succeeds also when there was none. */
    public void delete(String key) throws InterruptedException {
        HttpResponse<byte[]> response = send("DELETE " + key,
                signed("DELETE", keyPath(key), RequestSigner.EMPTY_PAYLOAD_HASH).DELETE().build());
        requireSuccess("DELETE " + key, response);
    }

    /** Returns when the bucket answers a HEAD request with these credentials; throws otherwise. */
    public void checkBucket() throws InterruptedException {
        checkBucket(settings.requestTimeout());
    }

    /** {@link #checkBucket()} within {@code timeout} instead of the usual request timeout (for health checks). */
    public void checkBucket(Duration timeout) throws InterruptedException {
        String what = "HEAD bucket " + settings.bucket();
        HttpResponse<byte[]> response = send(what,
                signed("HEAD", bucketPath, RequestSigner.EMPTY_PAYLOAD_HASH).HEAD().timeout(timeout).build());
        requireSuccess(what, response);
    }

    /** A URL anyone can GET the object with during {@code lifetime} from now. No request is made. */
    public String presignedGet(String key, Duration lifetime) {
        String path = keyPath(key);
        return origin + path + "?" + signer.presignedGetQuery(host, path, Instant.now(), lifetime);
    }

    @Override
    public void close() {
        http.close();
    }

    private String keyPath(String key) {
        return keyPathPrefix + RequestSigner.encodePath(key);
    }

    private HttpRequest.Builder signed(String method, String path, String payloadHash) {
        String timestamp = RequestSigner.timestamp(Instant.now());
        TreeMap<String, String> headers = new TreeMap<>();
        headers.put("host", host);
        headers.put("x-amz-content-sha256", payloadHash);
        headers.put("x-amz-date", timestamp);
        return HttpRequest.newBuilder(URI.create(origin + path))
                .timeout(settings.requestTimeout())
                .header("x-amz-date", timestamp)
                .header("x-amz-content-sha256", payloadHash)
                .header("Authorization", signer.authorization(method, path, "", headers, payloadHash));
    }

    private HttpResponse<byte[]> send(String what, HttpRequest request) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } catch (HttpTimeoutException e) {
                throw new ObjectStoreUnavailableException(what + " timed out: " + e.getMessage(), 0, null, e);
            } catch (IOException e) {
                if (attempt >= ATTEMPTS_ON_IO_FAILURE) {
                    throw new ObjectStoreUnavailableException(what + " failed: " + e, 0, null, e);
                }
            }
        }
    }

    private static void requireSuccess(String what, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        String code = errorCode(response.body());
        String message = what + " answered HTTP " + status + (code == null ? "" : " " + code);
        if (status >= 500 && status != 501 || status == 408 || status == 429) {
            throw new ObjectStoreUnavailableException(message, status, code, null);
        }
        throw new ObjectStoreRefusedException(message, status, code);
    }

    /** The {@code <Code>} of an S3 error document, if the body is one. */
    static String errorCode(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        String xml = new String(body, StandardCharsets.UTF_8);
        int start = xml.indexOf("<Code>");
        int end = start < 0 ? -1 : xml.indexOf("</Code>", start);
        return end < 0 ? null : xml.substring(start + "<Code>".length(), end).trim();
    }
}
