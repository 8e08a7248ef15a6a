package dev.lacquer.api.web;

import dev.lacquer.api.config.LacquerConfig;
import dev.lacquer.api.storage.ImageUrls;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The web page's Content-Security-Policy: scripts and styles from this origin only; fetches to this origin and the
 * OIDC issuer (discovery and token endpoints); images from this origin, the object store the image URLs point at
 * (learnt from a URL made the same way as every other) and the photo preview's blob URL.
 */
@ApplicationScoped
public class WebContentSecurityPolicy {

    private final String value;

    WebContentSecurityPolicy(LacquerConfig config, ImageUrls urls) {
        Set<String> connect = new LinkedHashSet<>();
        connect.add("'self'");
        originOf(config.web().issuer()).ifPresent(connect::add);
        Set<String> images = new LinkedHashSet<>();
        images.add("'self'");
        images.add("blob:");
        images.add("data:");
        originOf(urls.urlOf("csp-probe")).ifPresent(images::add);
        this.value = "default-src 'self'; script-src 'self'; style-src 'self'; img-src " + String.join(" ", images)
                + "; connect-src " + String.join(" ", connect)
                + "; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";
    }

    public String value() {
        return value;
    }

    /** scheme://host[:port] of a URL, or nothing for a URL without one. */
    static Optional<String> originOf(String url) {
        try {
            URI uri = URI.create(url.strip());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return Optional.empty();
            }
            return Optional.of(uri.getScheme().toLowerCase(Locale.ROOT) + "://"
                    + uri.getHost().toLowerCase(Locale.ROOT) + (uri.getPort() < 0 ? "" : ":" + uri.getPort()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
