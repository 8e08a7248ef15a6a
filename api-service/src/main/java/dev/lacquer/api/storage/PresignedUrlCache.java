package dev.lacquer.api.storage;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Presigned URLs by object key, reused for at most half their lifetime: presigning (SigV4, an HMAC chain per URL)
 * dominated the CPU of the read path, and a URL handed out from here is still valid for at least half of its
 * lifetime when the client receives it. Bounded: at {@code maxEntries} the expired entries are dropped, and if that
 * is not enough the whole map, so memory stays bounded under any mix of keys at the cost of presigning again.
 */
final class PresignedUrlCache {

    private record Entry(String url, long reuseUntilNanos) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final long reuseNanos;
    private final int maxEntries;
    private final LongSupplier nanoClock;

    PresignedUrlCache(Duration urlLifetime, int maxEntries, LongSupplier nanoClock) {
        this.reuseNanos = urlLifetime.toNanos() / 2;
        this.maxEntries = maxEntries;
        this.nanoClock = nanoClock;
    }

    /** The cached URL of the key while it may still be reused, else a fresh one from {@code presign}. */
    String urlOf(String key, Function<String, String> presign) {
        long now = nanoClock.getAsLong();
        Entry cached = entries.get(key);
        if (cached != null && now - cached.reuseUntilNanos < 0) {
            return cached.url;
        }
        // Presigned before the deadline is taken, so the deadline never outlasts half of the URL's real lifetime.
        String url = presign.apply(key);
        if (entries.size() >= maxEntries) {
            evict(now);
        }
        entries.put(key, new Entry(url, now + reuseNanos));
        return url;
    }

    int size() {
        return entries.size();
    }

    private void evict(long now) {
        entries.values().removeIf(entry -> now - entry.reuseUntilNanos >= 0);
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
    }
}
