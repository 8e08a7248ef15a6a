package dev.lacquer.api.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PresignedUrlCacheTest {

    private final AtomicLong clock = new AtomicLong(1_000);
    private final AtomicInteger signed = new AtomicInteger();
    private final Function<String, String> presign = key -> key + "?signature=" + signed.incrementAndGet();

    @Test
    void aUrlIsReusedForLessThanHalfItsLifetimeThenSignedAgain() {
        var cache = new PresignedUrlCache(Duration.ofMinutes(60), 100, clock::get);

        String first = cache.urlOf("results/u/j/0.png", presign);
        clock.addAndGet(Duration.ofMinutes(29).toNanos());
        assertEquals(first, cache.urlOf("results/u/j/0.png", presign), "still has more than half its life");
        assertEquals(1, signed.get());

        clock.addAndGet(Duration.ofMinutes(1).toNanos());
        String second = cache.urlOf("results/u/j/0.png", presign);
        assertNotEquals(first, second, "at half its lifetime a URL is signed again");
        assertEquals(2, signed.get());
    }

    @Test
    void eachKeyHasItsOwnUrl() {
        var cache = new PresignedUrlCache(Duration.ofHours(1), 100, clock::get);
        assertEquals("a?signature=1", cache.urlOf("a", presign));
        assertEquals("b?signature=2", cache.urlOf("b", presign));
        assertEquals("a?signature=1", cache.urlOf("a", presign));
    }

    @Test
    void theCacheStaysWithinItsBound() {
        var cache = new PresignedUrlCache(Duration.ofHours(1), 50, clock::get);
        for (int i = 0; i < 1_000; i++) {
            cache.urlOf("key-" + i, presign);
            assertTrue(cache.size() <= 50, "size " + cache.size());
        }
        assertEquals("key-999?signature=1000", cache.urlOf("key-999", presign), "the newest is still cached");
    }
}
