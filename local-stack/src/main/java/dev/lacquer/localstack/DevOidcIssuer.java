package dev.lacquer.localstack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * A DEVELOPMENT-ONLY OpenID Connect issuer for the Lacquer local stack. <strong>It is not an
 * identity provider:</strong> it issues a signed token for <em>any</em> username that matches
 * {@code ^[A-Za-z0-9._@-]{1,64}$} as long as the request carries the one shared dev password
 * (env {@code LACQUER_DEV_PASSWORD}, default {@code lacquer-dev}). It binds to a loopback address
 * only and refuses any other; never expose it or deploy it anywhere.
 *
 * <p>It mimics the paths of a Keycloak realm so that a real Keycloak can be swapped in by pointing
 * {@code OIDC_AUTH_SERVER_URL} at it:
 * <ul>
 *   <li>{@code GET /realms/{realm}/.well-known/openid-configuration} – discovery document</li>
 *   <li>{@code GET /realms/{realm}/protocol/openid-connect/certs} – JWKS with the RSA key</li>
 *   <li>{@code POST /realms/{realm}/protocol/openid-connect/token} – {@code grant_type=password}
 *       for the clients {@code lacquer-app} and {@code lacquer-api}; optional {@code expires_in}
 *       (1..86400 s) for tests. Wrong password: 401 {@code invalid_grant}, as Keycloak answers.</li>
 *   <li>{@code GET /realms/{realm}/protocol/openid-connect/auth} – 501, no browser login yet</li>
 *   <li>{@code GET /realms/{realm}} – realm info with the public key, as Keycloak shows it</li>
 *   <li>{@code GET /health/ready} – readiness</li>
 * </ul>
 *
 * <p>Access tokens are RS256 JWS with the claims iss, sub and preferred_username (the username),
 * aud {@code lacquer-api}, azp (the client id), iat, nbf, exp, jti, typ, scope
 * {@code openid profile}, realm_access.roles and groups: {@code user}, plus {@code admin} when
 * the username is {@code admin} or starts with {@code admin-}. The RSA 2048 key is generated on
 * first start and kept in the data directory, so tokens survive restarts.
 *
 * <p>Usage: {@code java -jar local-stack.jar [--host 127.0.0.1] [--port 19180] [--realm lacquer]
 * [--data-dir DIR] [--token-ttl 3600]}; each option can also come from the environment
 * ({@code LACQUER_OIDC_HOST}, {@code LACQUER_OIDC_PORT}, {@code LACQUER_OIDC_REALM},
 * {@code LACQUER_OIDC_DATA_DIR}, {@code LACQUER_OIDC_TOKEN_TTL}).
 */
public final class DevOidcIssuer {

    static final String DEFAULT_PASSWORD = "lacquer-dev";
    static final String AUDIENCE = "lacquer-api";
    static final Set<String> CLIENTS = Set.of("lacquer-app", "lacquer-api");
    static final Pattern USERNAME = Pattern.compile("^[A-Za-z0-9._@-]{1,64}$");
    static final int MAX_TTL = 86_400;
    private static final int MAX_BODY = 64 * 1024;

    private final String issuer;
    private final String realmPath;
    private final SigningKey key;
    private final byte[] devPassword;
    private final int defaultTtl;

    DevOidcIssuer(String issuer, String realmPath, SigningKey key, String devPassword, int defaultTtl) {
        this.issuer = issuer;
        this.realmPath = realmPath;
        this.key = key;
        this.devPassword = devPassword.getBytes(StandardCharsets.UTF_8);
        this.defaultTtl = defaultTtl;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parseArgs(args);
        String host = opt(opts, "host", "LACQUER_OIDC_HOST", "127.0.0.1");
        int port = Integer.parseInt(opt(opts, "port", "LACQUER_OIDC_PORT", "19180"));
        String realm = opt(opts, "realm", "LACQUER_OIDC_REALM", "lacquer");
        Path dataDir = Path.of(opt(opts, "data-dir", "LACQUER_OIDC_DATA_DIR", "oidc-data"));
        int ttl = Integer.parseInt(opt(opts, "token-ttl", "LACQUER_OIDC_TOKEN_TTL", "3600"));
        String password = System.getenv().getOrDefault("LACQUER_DEV_PASSWORD", DEFAULT_PASSWORD);

        if (!realm.matches("[A-Za-z0-9._-]{1,64}")) {
            fail("invalid realm name: " + realm);
        }
        if (ttl < 1 || ttl > MAX_TTL) {
            fail("--token-ttl must be within 1.." + MAX_TTL);
        }
        if (password.isEmpty()) {
            fail("LACQUER_DEV_PASSWORD must not be empty");
        }
        InetAddress bind = InetAddress.getByName(host);
        if (!bind.isLoopbackAddress()) {
            fail("refusing to listen on " + host + ": the dev OIDC issuer binds to loopback only");
        }

        SigningKey key = SigningKey.loadOrCreate(dataDir);
        String hostPart = bind instanceof java.net.Inet6Address ? "[" + bind.getHostAddress() + "]" : bind.getHostAddress();
        String realmPath = "/realms/" + realm;
        String issuer = "http://" + hostPart + ":" + port + realmPath;
        DevOidcIssuer app = new DevOidcIssuer(issuer, realmPath, key, password, ttl);

        HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 64);
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "oidc-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", app::handle);
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log("stopping");
            server.stop(1);
            pool.shutdown();
        }, "oidc-shutdown"));

        String bar = "*".repeat(78);
        log(bar);
        log("* DEV OIDC ISSUER - FOR LOCAL DEVELOPMENT AND TESTS ON LOOPBACK ONLY.");
        log("* It issues a token for ANY username with the shared dev password");
        log("* (LACQUER_DEV_PASSWORD" + (password.equals(DEFAULT_PASSWORD) ? ", default '" + DEFAULT_PASSWORD + "'" : "") + ").");
        log("* NEVER expose or deploy it: use a real identity provider (Keycloak) instead.");
        log(bar);
        log("issuer " + issuer + " listening on " + hostPart + ":" + port
                + "; signing key kid=" + key.kid + (key.generated ? " (new, written to " : " (loaded from ")
                + dataDir.toAbsolutePath() + ")");
    }

    // ---------------------------------------------------------------------------------------------
    // HTTP

    void handle(HttpExchange ex) throws IOException {
        try {
            String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
            String path = ex.getRequestURI().getRawPath();
            if (path.length() > 1 && path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            ex.getResponseHeaders().add("Access-Control-Allow-Origin", "*");
            if (method.equals("OPTIONS")) {
                ex.getResponseHeaders().add("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
                ex.getResponseHeaders().add("Access-Control-Allow-Headers", "Authorization, Content-Type");
                ex.getResponseHeaders().add("Access-Control-Max-Age", "600");
                ex.sendResponseHeaders(204, -1);
                return;
            }
            boolean get = method.equals("GET") || method.equals("HEAD");
            String oidc = realmPath + "/protocol/openid-connect";
            if (path.equals(realmPath + "/.well-known/openid-configuration")) {
                requireGet(ex, get, discovery());
            } else if (path.equals(oidc + "/certs")) {
                requireGet(ex, get, Map.of("keys", List.of(key.jwk())));
            } else if (path.equals(oidc + "/token")) {
                if (!method.equals("POST")) {
                    methodNotAllowed(ex, "POST");
                } else {
                    token(ex);
                }
            } else if (path.equals(oidc + "/auth")) {
                send(ex, 501, error("not_implemented",
                        "the dev issuer has no browser login; use grant_type=password at the token endpoint"));
            } else if (path.equals(realmPath)) {
                requireGet(ex, get, realmInfo());
            } else if (path.equals("/health/ready") || path.equals("/health")) {
                requireGet(ex, get, Map.of("status", "UP"));
            } else {
                send(ex, 404, error("not_found", "no such endpoint"));
            }
        } catch (RuntimeException e) {
            log("error handling " + ex.getRequestMethod() + " " + ex.getRequestURI() + ": " + e);
            try {
                send(ex, 500, error("server_error", "internal error"));
            } catch (IOException | RuntimeException ignored) {
                // response already started
            }
        } finally {
            ex.close();
        }
    }

    private void requireGet(HttpExchange ex, boolean get, Map<String, Object> body) throws IOException {
        if (get) {
            send(ex, 200, body);
        } else {
            methodNotAllowed(ex, "GET, HEAD");
        }
    }

    private static void methodNotAllowed(HttpExchange ex, String allow) throws IOException {
        ex.getResponseHeaders().add("Allow", allow);
        send(ex, 405, error("invalid_request", "method not allowed"));
    }

    private Map<String, Object> discovery() {
        String oidc = issuer + "/protocol/openid-connect";
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("issuer", issuer);
        d.put("authorization_endpoint", oidc + "/auth");
        d.put("token_endpoint", oidc + "/token");
        d.put("jwks_uri", oidc + "/certs");
        d.put("grant_types_supported", List.of("password"));
        d.put("response_types_supported", List.of("code", "token", "id_token"));
        d.put("subject_types_supported", List.of("public"));
        d.put("id_token_signing_alg_values_supported", List.of("RS256"));
        d.put("token_endpoint_auth_methods_supported", List.of("client_secret_post", "client_secret_basic", "none"));
        d.put("scopes_supported", List.of("openid", "profile"));
        d.put("claims_supported", List.of("iss", "sub", "aud", "exp", "iat", "nbf", "jti", "azp",
                "preferred_username", "scope", "realm_access", "groups"));
        return d;
    }

    private Map<String, Object> realmInfo() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("realm", realmPath.substring("/realms/".length()));
        r.put("public_key", key.publicKeyBase64());
        r.put("token-service", issuer + "/protocol/openid-connect");
        r.put("tokens-not-before", 0);
        return r;
    }

    private void token(HttpExchange ex) throws IOException {
        String contentType = ex.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null
                || !contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            send(ex, 400, error("invalid_request", "Content-Type must be application/x-www-form-urlencoded"));
            return;
        }
        Map<String, String> form = new HashMap<>();
        byte[] raw;
        try (InputStream in = ex.getRequestBody()) {
            raw = in.readNBytes(MAX_BODY + 1);
        }
        if (raw.length > MAX_BODY) {
            send(ex, 413, error("invalid_request", "request body too large"));
            return;
        }
        String body = new String(raw, StandardCharsets.UTF_8);
        try {
            for (String pair : body.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (form.put(name, value) != null) {
                    send(ex, 400, error("invalid_request", "duplicated parameter: " + name));
                    return;
                }
            }
        } catch (IllegalArgumentException e) {
            send(ex, 400, error("invalid_request", "malformed form body"));
            return;
        }

        String clientId = form.get("client_id");
        String basic = ex.getRequestHeaders().getFirst("Authorization");
        if (basic != null && basic.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(basic.substring(6).trim()), StandardCharsets.UTF_8);
                String basicId = URLDecoder.decode(decoded.split(":", 2)[0], StandardCharsets.UTF_8);
                if (clientId != null && !clientId.equals(basicId)) {
                    send(ex, 400, error("invalid_request", "client_id differs from the Authorization header"));
                    return;
                }
                clientId = basicId;
            } catch (IllegalArgumentException e) {
                send(ex, 401, error("invalid_client", "Invalid client or Invalid client credentials"));
                return;
            }
        }

        String grantType = form.get("grant_type");
        if (grantType == null || grantType.isEmpty()) {
            send(ex, 400, error("invalid_request", "Missing form parameter: grant_type"));
            return;
        }
        if (!grantType.equals("password")) {
            send(ex, 400, error("unsupported_grant_type", "Unsupported grant_type"));
            return;
        }
        if (clientId == null || !CLIENTS.contains(clientId)) {
            log("token refused: unknown client_id " + printable(clientId));
            send(ex, 401, error("invalid_client", "Invalid client or Invalid client credentials"));
            return;
        }
        int ttl = defaultTtl;
        String requestedTtl = form.get("expires_in");
        if (requestedTtl != null) {
            try {
                ttl = Integer.parseInt(requestedTtl);
            } catch (NumberFormatException e) {
                ttl = -1;
            }
            if (ttl < 1 || ttl > MAX_TTL) {
                send(ex, 400, error("invalid_request", "expires_in must be an integer within 1.." + MAX_TTL));
                return;
            }
        }
        String username = form.get("username");
        String password = form.get("password");
        if (username == null || password == null) {
            send(ex, 400, error("invalid_request", "Missing parameter: " + (username == null ? "username" : "password")));
            return;
        }
        boolean passwordOk = MessageDigest.isEqual(devPassword, password.getBytes(StandardCharsets.UTF_8));
        if (!USERNAME.matcher(username).matches() || !passwordOk) {
            log("token refused: invalid credentials for user " + printable(username) + " (client " + clientId + ")");
            send(ex, 401, error("invalid_grant", "Invalid user credentials"));
            return;
        }

        List<String> roles = new ArrayList<>(List.of("user"));
        if (username.equals("admin") || username.startsWith("admin-")) {
            roles.add("admin");
        }
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("sub", username);
        claims.put("aud", AUDIENCE);
        claims.put("azp", clientId);
        claims.put("typ", "Bearer");
        claims.put("iat", now);
        claims.put("nbf", now);
        claims.put("exp", now + ttl);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("scope", "openid profile");
        claims.put("preferred_username", username);
        claims.put("realm_access", Map.of("roles", roles));
        claims.put("groups", roles);
        String jws;
        try {
            jws = key.sign(claims);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("signing failed", e);
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("access_token", jws);
        response.put("expires_in", ttl);
        response.put("refresh_expires_in", 0);
        response.put("token_type", "Bearer");
        response.put("not-before-policy", 0);
        response.put("scope", "openid profile");
        ex.getResponseHeaders().add("Cache-Control", "no-store");
        ex.getResponseHeaders().add("Pragma", "no-cache");
        log("token issued: user " + username + " roles " + roles + " client " + clientId + " expires_in " + ttl);
        send(ex, 200, response);
    }

    // ---------------------------------------------------------------------------------------------
    // helpers

    private static Map<String, Object> error(String code, String description) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("error", code);
        e.put("error_description", description);
        return e;
    }

    private static void send(HttpExchange ex, int status, Map<String, Object> body) throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
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

    private static String printable(String s) {
        if (s == null) {
            return "(none)";
        }
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return "'" + cut.replaceAll("[^\\x20-\\x7e]", "?") + "'";
    }

    private static Map<String, String> parseArgs(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                System.out.println("usage: DevOidcIssuer [--host 127.0.0.1] [--port 19180] [--realm lacquer]"
                        + " [--data-dir DIR] [--token-ttl SECONDS]");
                System.exit(0);
            }
            if (!a.startsWith("--")) {
                fail("unexpected argument: " + a);
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                fail("missing value for " + a);
                return opts;
            }
            if (!Set.of("host", "port", "realm", "data-dir", "token-ttl").contains(name)) {
                fail("unknown option: --" + name);
            }
            opts.put(name, value);
        }
        return opts;
    }

    private static String opt(Map<String, String> opts, String name, String env, String fallback) {
        String v = opts.get(name);
        if (v == null || v.isEmpty()) {
            v = System.getenv(env);
        }
        return v == null || v.isEmpty() ? fallback : v;
    }

    private static void fail(String message) {
        System.err.println("dev-oidc: " + message);
        System.exit(2);
    }

    static void log(String message) {
        System.out.println(Instant.now() + " dev-oidc " + message);
        System.out.flush();
    }
}
