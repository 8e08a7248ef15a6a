package dev.lacquer.objectstore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The signer against the known answers AWS publishes in the S3 Signature Version 4 documentation (example bucket
 * {@code examplebucket}, the documentation's example credentials, 24 May 2013).
 */
class RequestSignerTest {

    private static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final Instant MAY_24_2013 = Instant.parse("2013-05-24T00:00:00Z");

    private final RequestSigner signer = new RequestSigner(ACCESS_KEY, SECRET, "us-east-1");

    @Test
    void signsTheDocumentedGetObjectWithARangeHeader() {
        TreeMap<String, String> headers = new TreeMap<>();
        headers.put("host", "examplebucket.s3.amazonaws.com");
        headers.put("range", "bytes=0-9");
        headers.put("x-amz-content-sha256", RequestSigner.EMPTY_PAYLOAD_HASH);
        headers.put("x-amz-date", RequestSigner.timestamp(MAY_24_2013));

        String authorization = signer.authorization("GET", "/test.txt", "", headers,
                RequestSigner.EMPTY_PAYLOAD_HASH);

        assertEquals("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41", authorization);
    }

    @Test
    void presignsTheDocumentedGetUrlValidForADay() {
        String query = signer.presignedGetQuery("examplebucket.s3.amazonaws.com", "/test.txt", MAY_24_2013,
                Duration.ofDays(1));

        assertEquals("X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
                + "&X-Amz-Date=20130524T000000Z"
                + "&X-Amz-Expires=86400"
                + "&X-Amz-SignedHeaders=host"
                + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404", query);
    }

    @Test
    void theSigningKeyOfANewDayIsDerivedAgain() {
        TreeMap<String, String> headers = new TreeMap<>();
        headers.put("host", "examplebucket.s3.amazonaws.com");
        headers.put("range", "bytes=0-9");
        headers.put("x-amz-content-sha256", RequestSigner.EMPTY_PAYLOAD_HASH);
        headers.put("x-amz-date", "20130525T000000Z");
        signer.authorization("GET", "/test.txt", "", headers, RequestSigner.EMPTY_PAYLOAD_HASH);

        // Back to the documented day: the cached key of the 25th must not be used for it.
        signsTheDocumentedGetObjectWithARangeHeader();
    }

    @Test
    void keysAreEncodedOnceWithSlashesKeptInPathsAndEncodedInQueryValues() {
        assertEquals("/originals/u%201/%C3%A9t%C3%A9%2Bx~_-.png",
                RequestSigner.encodePath("/originals/u 1/été+x~_-.png"));
        assertEquals("a%2Fb%3Dc", RequestSigner.encodeQueryValue("a/b=c"));
    }

    @Test
    void payloadHashIsTheHexSha256OfTheBody() {
        assertEquals(RequestSigner.EMPTY_PAYLOAD_HASH, RequestSigner.payloadHash(new byte[0]));
        // SHA-256("abc"), FIPS 180-2 appendix B.1
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                RequestSigner.payloadHash("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }
}
