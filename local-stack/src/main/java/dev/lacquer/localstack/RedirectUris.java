package dev.lacquer.localstack;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The redirect URIs the authorization endpoint sends codes to, and from them the browser origins the token endpoint
 * answers with CORS. Each entry is {@code scheme://host[:port][path]}: the port may be {@code *} (any port), a path
 * ending in {@code *} matches by prefix, no path (or {@code /*}) matches any path. The default, loopback on any port,
 * is {@code http://127.0.0.1:*,http://localhost:*}.
 *
 * <p>A candidate is parsed, never compared as text: it must be an absolute http(s) URI without user info or fragment,
 * so {@code http://127.0.0.1:80@elsewhere.example/} is not mistaken for a loopback address.
 */
final class RedirectUris {

    static final String DEFAULT = "http://127.0.0.1:*,http://localhost:*";
    private static final Pattern ENTRY = Pattern.compile("(https?)://([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+])(?::(\\*|\\d{1,5}))?(/.*)?");

    private record Entry(String scheme, String host, int port, String path) {
        static final int ANY_PORT = -1;

        boolean matches(String scheme, String host, int port) {
            return this.scheme.equals(scheme) && this.host.equals(host) && (this.port == ANY_PORT || this.port == port);
        }

        boolean matchesPath(String candidate) {
            if (path == null || path.equals("/*")) {
                return true;
            }
            return path.endsWith("*") ? candidate.startsWith(path.substring(0, path.length() - 1)) : candidate.equals(path);
        }
    }

    private final List<Entry> entries;
    private final String text;

    private RedirectUris(List<Entry> entries, String text) {
        this.entries = entries;
        this.text = text;
    }

    /** The comma-separated allow-list; an entry that is not of the form above is refused. */
    static RedirectUris parse(String commaSeparated) {
        List<Entry> entries = new ArrayList<>();
        for (String raw : commaSeparated.split(",")) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            Matcher m = ENTRY.matcher(entry);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a redirect URI pattern: " + entry);
            }
            String scheme = m.group(1).toLowerCase(Locale.ROOT);
            int port = m.group(3) == null ? defaultPort(scheme) : m.group(3).equals("*") ? Entry.ANY_PORT : Integer.parseInt(m.group(3));
            entries.add(new Entry(scheme, m.group(2).toLowerCase(Locale.ROOT), port, m.group(4)));
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("the redirect URI allow-list is empty");
        }
        return new RedirectUris(List.copyOf(entries), commaSeparated);
    }

    /** True when the authorization endpoint may send a code to this URI. */
    boolean allows(String redirectUri) {
        URI uri = absolute(redirectUri);
        if (uri == null || uri.getRawFragment() != null) {
            return false;
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return entries.stream().anyMatch(e -> e.matches(uri.getScheme().toLowerCase(Locale.ROOT),
                uri.getHost().toLowerCase(Locale.ROOT), port(uri)) && e.matchesPath(path));
    }

    /** True when a page of this origin ({@code scheme://host[:port]}) may read the token endpoint's answers. */
    boolean allowsOrigin(String origin) {
        URI uri = absolute(origin);
        if (uri == null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())) {
            return false;
        }
        return entries.stream().anyMatch(e -> e.matches(uri.getScheme().toLowerCase(Locale.ROOT),
                uri.getHost().toLowerCase(Locale.ROOT), port(uri)));
    }

    private static URI absolute(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme();
            boolean web = scheme != null && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"));
            return web && uri.getHost() != null && uri.getRawUserInfo() == null ? uri : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : defaultPort(uri.getScheme().toLowerCase(Locale.ROOT));
    }

    private static int defaultPort(String scheme) {
        return scheme.equals("https") ? 443 : 80;
    }

    @Override
    public String toString() {
        return text;
    }
}
