package dev.lacquer.api.storage;

import dev.lacquer.api.config.LacquerConfig;
import dev.lacquer.objectstore.ObjectStoreClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * URLs a client can download an image from: presigned GET URLs that expire after the
 * configured lifetime, or, when a public base URL is configured (R2 public bucket or custom
 * domain), that base plus the key. A presigned URL is reused for the same key for at most half its lifetime
 * ({@link PresignedUrlCache}), so a client always gets one that stays valid for at least half of it.
 */
@ApplicationScoped
public class ImageUrls {

    /** Presigned URLs kept per replica (about 0.5 KB each): the objects of a few thousand users' recent jobs. */
    static final int CACHED_URLS = 20_000;

    private final ObjectStoreClient store;
    private final Optional<String> publicBaseUrl;
    private final Duration lifetime;
    private final PresignedUrlCache cache;

    ImageUrls(ObjectStoreClient store, LacquerConfig config) {
        this.store = store;
        this.publicBaseUrl = config.storage().publicBaseUrl().filter(url -> !url.isBlank())
                .map(url -> url.endsWith("/") ? url : url + "/");
        this.lifetime = config.storage().urlLifetime();
        this.cache = new PresignedUrlCache(lifetime, CACHED_URLS, System::nanoTime);
    }

    public String urlOf(String key) {
        if (key == null) {
            return null;
        }
        if (publicBaseUrl.isPresent()) {
            return publicBaseUrl.get() + key;
        }
        return cache.urlOf(key, this::presign);
    }

    /**
     * How long every URL handed out from now stays valid at least (half the presigned lifetime, see
     * {@link PresignedUrlCache}); empty when URLs do not expire (public base URL). A client showing images for longer
     * fetches them again.
     */
    public Optional<Duration> validAtLeast() {
        return publicBaseUrl.isPresent() ? Optional.empty() : Optional.of(lifetime.dividedBy(2));
    }

    public List<String> urlsOf(List<String> keys) {
        return keys == null ? List.of() : keys.stream().map(this::urlOf).toList();
    }

    private String presign(String key) {
        return store.presignedGet(key, lifetime);
    }
}
