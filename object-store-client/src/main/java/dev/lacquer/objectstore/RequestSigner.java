package dev.lacquer.objectstore;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 for the S3 service: the {@code Authorization} header of a request, and the query string of a
 * presigned GET URL. Paths are given already URI-encoded by {@link #encodePath} (S3 does not encode them twice).
 * The signing key is derived once per day and reused.
 */
public final class RequestSigner {

    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    /** Hex SHA-256 of an empty body: the payload hash of GET, HEAD and DELETE. */
    public static final String EMPTY_PAYLOAD_HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static final String SERVICE = "s3";
    private static final String TERMINATOR = "aws4_request";
    private static final String HMAC = "HmacSHA256";
    private static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();
    private static final char[] UPPER_HEX = "0123456789ABCDEF".toCharArray();

    /** The signing key of one day (the first 8 characters of the timestamp). */
    private record DayKey(String day, byte[] key) {
    }

    private final String accessKeyId;
    private final byte[] secret;
    private final String region;
    private volatile DayKey dayKey = new DayKey("", new byte[0]);

    public RequestSigner(String accessKeyId, String secretAccessKey, String region) {
        this.accessKeyId = accessKeyId;
        this.secret = ("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8);
        this.region = region;
    }

    /** The {@code x-amz-date} value of an instant: {@code 20130524T000000Z}. */
    public static String timestamp(Instant time) {
        return TIMESTAMP.format(time);
    }

    /**
     * The {@code Authorization} header value of a request.
     *
     * @param method         GET, PUT, HEAD, DELETE
     * @param canonicalUri   the URI-encoded path, as sent
     * @param canonicalQuery the sorted, encoded query string, as sent ({@code ""} when there is none)
     * @param headers        every signed header: lower-case names (sorted by the map) to trimmed values; must
     *                       include {@code host}, {@code x-amz-date} and {@code x-amz-content-sha256}
     * @param payloadHash    hex SHA-256 of the body, the value of {@code x-amz-content-sha256}
     */
    public String authorization(String method, String canonicalUri, String canonicalQuery,
                                SortedMap<String, String> headers, String payloadHash) {
        String timestamp = headers.get("x-amz-date");
        StringBuilder canonical = new StringBuilder(256).append(method).append('\n').append(canonicalUri).append('\n')
                .append(canonicalQuery).append('\n');
        StringBuilder signedHeaders = new StringBuilder(64);
        for (Map.Entry<String, String> header : headers.entrySet()) {
            canonical.append(header.getKey()).append(':').append(header.getValue()).append('\n');
            if (!signedHeaders.isEmpty()) {
                signedHeaders.append(';');
            }
            signedHeaders.append(header.getKey());
        }
        canonical.append('\n').append(signedHeaders).append('\n').append(payloadHash);
        String scope = scope(timestamp);
        return ALGORITHM + " Credential=" + accessKeyId + "/" + scope + ",SignedHeaders=" + signedHeaders
                + ",Signature=" + signature(timestamp, scope, canonical.toString());
    }

    /**
     * The query string of a presigned GET of {@code canonicalUri} on {@code host} (signed header: host only, payload
     * unsigned), valid for {@code expires} from {@code time}.
     */
    public String presignedGetQuery(String host, String canonicalUri, Instant time, Duration expires) {
        String timestamp = timestamp(time);
        String scope = scope(timestamp);
        // Parameters in the order their names sort, which the canonical query requires.
        String query = "X-Amz-Algorithm=" + ALGORITHM
                + "&X-Amz-Credential=" + encodeQueryValue(accessKeyId + "/" + scope)
                + "&X-Amz-Date=" + timestamp
                + "&X-Amz-Expires=" + expires.toSeconds()
                + "&X-Amz-SignedHeaders=host";
        String canonical = "GET\n" + canonicalUri + "\n" + query + "\nhost:" + host + "\n\nhost\n" + UNSIGNED_PAYLOAD;
        return query + "&X-Amz-Signature=" + signature(timestamp, scope, canonical);
    }

    /** Hex SHA-256 of a body: its {@code x-amz-content-sha256}. */
    public static String payloadHash(byte[] body) {
        return body.length == 0 ? EMPTY_PAYLOAD_HASH : HEX.formatHex(sha256().digest(body));
    }

    /**
     * An object key (or any path) URI-encoded as S3 signs it: every byte of its UTF-8 form except the unreserved
     * characters ({@code A-Z a-z 0-9 - _ . ~}) as {@code %XY}, the slashes kept.
     */
    public static String encodePath(String path) {
        return encode(path, false);
    }

    /** A query parameter value URI-encoded, slashes included. */
    public static String encodeQueryValue(String value) {
        return encode(value, true);
    }

    private String scope(String timestamp) {
        return timestamp.substring(0, 8) + "/" + region + "/" + SERVICE + "/" + TERMINATOR;
    }

    private String signature(String timestamp, String scope, String canonicalRequest) {
        String stringToSign = ALGORITHM + "\n" + timestamp + "\n" + scope + "\n"
                + HEX.formatHex(sha256().digest(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        return HEX.formatHex(hmac(signingKey(timestamp.substring(0, 8)), stringToSign));
    }

    private byte[] signingKey(String day) {
        DayKey current = dayKey;
        if (!current.day.equals(day)) {
            byte[] key = hmac(secret, day);
            key = hmac(key, region);
            key = hmac(key, SERVICE);
            key = hmac(key, TERMINATOR);
            current = new DayKey(day, key);
            dayKey = current;
        }
        return current.key;
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static String encode(String text, boolean encodeSlash) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder encoded = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                    || c == '-' || c == '_' || c == '.' || c == '~' || c == '/' && !encodeSlash) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(UPPER_HEX[c >> 4]).append(UPPER_HEX[c & 0xf]);
            }
        }
        return encoded.toString();
    }
}
