package dev.lacquer.objectstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Where the client addresses an object, path style and virtual-hosted style (no request is made). */
class ObjectStoreAddressingTest {

    private static final Clock MAY_24_2013 = Clock.fixed(Instant.parse("2013-05-24T00:00:00Z"), ZoneOffset.UTC);

    private static ObjectStoreClient client(String endpoint, boolean pathStyle) {
        return new ObjectStoreClient(new ObjectStoreSettings(URI.create(endpoint), "us-east-1", "examplebucket",
                pathStyle, "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", Duration.ofSeconds(1),
                Duration.ofSeconds(1)), MAY_24_2013);
    }

    @Test
    void virtualHostedStylePresignsTheDocumentedUrl() {
        // The documented example: https://examplebucket.s3.amazonaws.com/test.txt, valid for a day.
        assertEquals("https://examplebucket.s3.amazonaws.com/test.txt"
                        + "?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                        + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
                        + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
                        + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
                client("https://s3.amazonaws.com", false).presignedGet("test.txt", Duration.ofDays(1)));
    }

    @Test
    void pathStylePutsTheBucketInThePathAndKeepsAnExplicitPort() {
        String url = client("http://127.0.0.1:9000", true).presignedGet("originals/u 1/é.png", Duration.ofHours(1));
        assertTrue(url.startsWith("http://127.0.0.1:9000/examplebucket/originals/u%201/%C3%A9.png?X-Amz-"), url);
    }

    @Test
    void theDefaultPortIsLeftOutOfTheHost() {
        String url = client("https://r2.example.com:443/", true).presignedGet("k", Duration.ofMinutes(1));
        assertTrue(url.startsWith("https://r2.example.com/examplebucket/k?"), url);
    }
}
