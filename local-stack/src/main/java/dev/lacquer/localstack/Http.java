package dev.lacquer.localstack;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Reading forms and query strings and writing JSON, HTML and redirects, for the dev issuer's handlers. */
final class Http {

    private static final int MAX_BODY = 64 * 1024;

    private Http() {
    }

    /** A request the handler refuses before looking at its meaning: the status and OAuth error to answer. */
    static final class BadRequest extends Exception {
        final int status;
        final String error;

        BadRequest(int status, String error, String description) {
            super(description, null, false, false);
            this.status = status;
            this.error = error;
        }
    }

    /** The {@code application/x-www-form-urlencoded} body; a repeated parameter is refused, as Keycloak does. */
    static Map<String, String> form(HttpExchange ex) throws IOException, BadRequest {
        String contentType = ex.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null
                || !contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw new BadRequest(400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded");
        }
        byte[] raw;
        try (InputStream in = ex.getRequestBody()) {
            raw = in.readNBytes(MAX_BODY + 1);
        }
        if (raw.length > MAX_BODY) {
            throw new BadRequest(413, "invalid_request", "request body too large");
        }
        return parameters(new String(raw, StandardCharsets.UTF_8));
    }

    /** The query string's parameters; a repeated parameter is refused. */
    static Map<String, String> query(HttpExchange ex) throws BadRequest {
        String raw = ex.getRequestURI().getRawQuery();
        return parameters(raw == null ? "" : raw);
    }

    private static Map<String, String> parameters(String encoded) throws BadRequest {
        Map<String, String> parameters = new LinkedHashMap<>();
        try {
            for (String pair : encoded.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (parameters.put(name, value) != null) {
                    throw new BadRequest(400, "invalid_request", "duplicated parameter: " + name);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new BadRequest(400, "invalid_request", "malformed parameters");
        }
        return parameters;
    }

    static Map<String, Object> error(String code, String description) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("error", code);
        e.put("error_description", description);
        return e;
    }

    static void json(HttpExchange ex, int status, Map<String, Object> body) throws IOException {
        send(ex, status, "application/json", Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    /** An HTML page that no other site may frame or cache. */
    static void html(HttpExchange ex, int status, String page) throws IOException {
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("X-Frame-Options", "DENY");
        ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
        send(ex, status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
    }

    static void redirect(HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().set("Location", location);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(302, -1);
    }

    static void methodNotAllowed(HttpExchange ex, String allow) throws IOException {
        ex.getResponseHeaders().add("Allow", allow);
        json(ex, 405, error("invalid_request", "method not allowed"));
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] bytes) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        if (ex.getRequestMethod().equalsIgnoreCase("HEAD")) {
            ex.getResponseHeaders().set("Content-Length", Integer.toString(bytes.length));
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The value with HTML's special characters escaped, for text and attribute values. */
    static String escape(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** The value in a form that is safe to log: printable ASCII, at most 64 characters, quoted. */
    static String printable(String s) {
        if (s == null) {
            return "(none)";
        }
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return "'" + cut.replaceAll("[^\\x20-\\x7e]", "?") + "'";
    }
}
