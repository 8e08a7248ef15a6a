package dev.lacquer.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The calls the services make on their one bucket, each a single signed HTTP/1.1 request (AWS Signature Version 4,
 * {@link RequestSigner}).
 *
 * <p>Transport: the JDK's {@link HttpURLConnection}, blocking on the calling thread, its connections kept alive in the
 * JDK's per-host cache ({@code -Dhttp.maxConnections} idle ones, default 5: raise it to the calls made at once).
 * Measured against s3proxy, a call costs about a third of the CPU of the same call over {@code java.net.http}
 * (no selector thread, no executor hand-offs, no reactive pipeline) and a quarter of the AWS SDK's.
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
public final class ObjectStoreClient {

    private static final int ATTEMPTS_ON_IO_FAILURE = 2;
    private static final byte[] NO_BYTES = new byte[0];

    /** An HTTP answer: its status and whole body. */
    private record Answer(int status, byte[] body) {
    }

    private final ObjectStoreSettings settings;
    private final RequestSigner signer;
    private final Clock clock;
    /** {@code scheme://host[:port]} requests go to, without a trailing slash. */
    private final String origin;
    /** The {@code Host} header the JDK sends for {@link #origin} (the port only when not the default). */
    private final String host;
    /** What comes before an encoded key in a request path: {@code /bucket/} (path style) or {@code /}. */
    private final String keyPathPrefix;
    /** The path of the bucket itself, for HEAD bucket. */
    private final String bucketPath;

    public ObjectStoreClient(ObjectStoreSettings settings) {
        this(settings, Clock.systemUTC());
    }

    /** With the clock requests are signed by (tests). */
    ObjectStoreClient(ObjectStoreSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.signer = new RequestSigner(settings.accessKeyId(), settings.secretAccessKey(), settings.region());
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
        String what = "PUT " + key;
        requireSuccess(what, exchange(what, "PUT", keyPath(key), body, contentType, cacheControl,
                settings.readTimeout()));
    }

    /** The object's bytes, or empty when there is no object under {@code key}. */
    public Optional<byte[]> get(String key) throws InterruptedException {
        String what = "GET " + key;
        Answer answer = exchange(what, "GET", keyPath(key), null, null, null, settings.readTimeout());
        if (answer.status() == 404) {
            return Optional.empty();
        }
        requireSuccess(what, answer);
        return Optional.of(answer.body());
    }

    /** Whether an object is stored under {@code key} (a HEAD request: nothing is downloaded). */
    public boolean exists(String key) throws InterruptedException {
        String what = "HEAD " + key;
        Answer answer = exchange(what, "HEAD", keyPath(key), null, null, null, settings.readTimeout());
        if (answer.status() == 404) {
            return false;
        }
        requireSuccess(what, answer);
        return true;
    }

    /** Removes the object under {@code key}; succeeds also when there was none. */
    public void delete(String key) throws InterruptedException {
        String what = "DELETE " + key;
        requireSuccess(what, exchange(what, "DELETE", keyPath(key), null, null, null, settings.readTimeout()));
    }

    /**
     * Returns when the bucket answers a HEAD request with these credentials within {@code timeout} (health checks
     * bound it tighter than the read timeout); throws otherwise.
     */
    public void checkBucket(Duration timeout) throws InterruptedException {
        String what = "HEAD bucket " + settings.bucket();
        requireSuccess(what, exchange(what, "HEAD", bucketPath, null, null, null, timeout));
    }

    /** A URL anyone can GET the object with during {@code lifetime} from now. No request is made. */
    public String presignedGet(String key, Duration lifetime) {
        String path = keyPath(key);
        return origin + path + "?" + signer.presignedGetQuery(host, path, clock.instant(), lifetime);
    }

    private String keyPath(String key) {
        return keyPathPrefix + RequestSigner.encodePath(key);
    }

    /**
     * One signed request and its whole answer. {@code body} null: no body (GET, HEAD, DELETE). {@code timeout} bounds
     * each wait for the store's bytes; opening a connection is bounded by the connect timeout.
     */
    private Answer exchange(String what, String method, String path, byte[] body, String contentType,
                            String cacheControl, Duration timeout) throws InterruptedException {
        String payloadHash = body == null ? RequestSigner.EMPTY_PAYLOAD_HASH : RequestSigner.payloadHash(body);
        String timestamp = RequestSigner.timestamp(clock.instant());
        TreeMap<String, String> signed = new TreeMap<>();
        signed.put("host", host);
        signed.put("x-amz-content-sha256", payloadHash);
        signed.put("x-amz-date", timestamp);
        String authorization = signer.authorization(method, path, "", signed, payloadHash);
        URL url = url(path);
        for (int attempt = 1; ; attempt++) {
            if (Thread.interrupted()) {
                throw new InterruptedException(what + " interrupted");
            }
            HttpURLConnection connection = null;
            try {
                connection = (HttpURLConnection) url.openConnection(Proxy.NO_PROXY);
                connection.setRequestMethod(method);
                connection.setConnectTimeout(millis(settings.connectTimeout()));
                connection.setReadTimeout(millis(timeout));
                connection.setUseCaches(false);
                connection.setInstanceFollowRedirects(false);
                connection.setRequestProperty("x-amz-date", timestamp);
                connection.setRequestProperty("x-amz-content-sha256", payloadHash);
                connection.setRequestProperty("Authorization", authorization);
                if (body != null) {
                    connection.setDoOutput(true);
                    connection.setFixedLengthStreamingMode(body.length);
                    connection.setRequestProperty("Content-Type", contentType);
                    if (cacheControl != null) {
                        connection.setRequestProperty("Cache-Control", cacheControl);
                    }
                    try (OutputStream out = connection.getOutputStream()) {
                        out.write(body);
                    }
                }
                int status = connection.getResponseCode();
                // Read to the end and closed: the connection goes back to the keep-alive cache.
                return new Answer(status, readAll(status >= 400 ? connection.getErrorStream()
                        : connection.getInputStream()));
            } catch (SocketTimeoutException e) {
                disconnect(connection);
                throw new ObjectStoreUnavailableException(what + " timed out: " + e.getMessage(), 0, null, e);
            } catch (IOException e) {
                disconnect(connection);
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException(what + " interrupted");
                }
                if (attempt >= ATTEMPTS_ON_IO_FAILURE) {
                    throw new ObjectStoreUnavailableException(what + " failed: " + e, 0, null, e);
                }
            }
        }
    }

    private URL url(String path) {
        try {
            return URI.create(origin + path).toURL();
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        if (in == null) {
            return NO_BYTES;
        }
        try (in) {
            return in.readAllBytes();
        }
    }

    private static void disconnect(HttpURLConnection connection) {
        if (connection != null) {
            connection.disconnect();
        }
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, duration.toMillis()));
    }

    private static void requireSuccess(String what, Answer answer) {
        int status = answer.status();
        if (status >= 200 && status < 300) {
            return;
        }
        String code = errorCode(answer.body());
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
