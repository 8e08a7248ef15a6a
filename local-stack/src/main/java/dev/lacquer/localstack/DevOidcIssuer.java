package dev.lacquer.localstack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

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
 *   <li>{@code POST /realms/{realm}/protocol/openid-connect/token} – {@link TokenEndpoint}:
 *       {@code grant_type=password} for the clients {@code lacquer-app} and {@code lacquer-api} (optional
 *       {@code expires_in}, 1..86400 s, for tests; wrong password: 401 {@code invalid_grant}, as Keycloak
 *       answers) and {@code grant_type=authorization_code} with PKCE for {@code lacquer-web} and
 *       {@code lacquer-app}</li>
 *   <li>{@code GET|POST /realms/{realm}/protocol/openid-connect/auth} – {@link BrowserLogin}: the login form of
 *       the authorization code flow (PKCE S256 required, redirect URIs from an allow-list)</li>
 *   <li>{@code GET /realms/{realm}/protocol/openid-connect/logout} – back to an allowed
 *       {@code post_logout_redirect_uri} (there is no session)</li>
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
 * <p>The token endpoint answers browsers (CORS) from the origins of the redirect URI allow-list; discovery, JWKS and
 * realm info answer any origin.
 *
 * <p>Usage: {@code java -jar local-stack.jar [--host 127.0.0.1] [--port 19180] [--realm lacquer]
 * [--data-dir DIR] [--token-ttl 3600] [--code-ttl 60] [--redirect-uris http://127.0.0.1:*,http://localhost:*]};
 * each option can also come from the environment ({@code LACQUER_OIDC_HOST}, {@code LACQUER_OIDC_PORT},
 * {@code LACQUER_OIDC_REALM}, {@code LACQUER_OIDC_DATA_DIR}, {@code LACQUER_OIDC_TOKEN_TTL},
 * {@code LACQUER_OIDC_CODE_TTL}, {@code LACQUER_OIDC_REDIRECT_URIS}).
 */
public final class DevOidcIssuer {

    private static final Set<String> OPTIONS = Set.of("host", "port", "realm", "data-dir", "token-ttl", "code-ttl",
            "redirect-uris");

    private final String issuer;
    private final String realmPath;
    private final SigningKey key;
    private final RedirectUris redirectUris;
    private final TokenEndpoint tokenEndpoint;
    private final BrowserLogin browserLogin;

    DevOidcIssuer(String issuer, String realmPath, SigningKey key, String devPassword, int tokenTtl,
                  Duration codeTtl, RedirectUris redirectUris) {
        this.issuer = issuer;
        this.realmPath = realmPath;
        this.key = key;
        this.redirectUris = redirectUris;
        DevPassword password = new DevPassword(devPassword);
        AuthorizationCodes codes = new AuthorizationCodes(codeTtl, Clock.systemUTC());
        this.tokenEndpoint = new TokenEndpoint(password, new Tokens(issuer, key), codes, tokenTtl);
        this.browserLogin = new BrowserLogin(issuer, realmPath + "/protocol/openid-connect/auth", redirectUris,
                password, codes);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parseArgs(args);
        String host = opt(opts, "host", "LACQUER_OIDC_HOST", "127.0.0.1");
        int port = Integer.parseInt(opt(opts, "port", "LACQUER_OIDC_PORT", "19180"));
        String realm = opt(opts, "realm", "LACQUER_OIDC_REALM", "lacquer");
        Path dataDir = Path.of(opt(opts, "data-dir", "LACQUER_OIDC_DATA_DIR", "oidc-data"));
        int ttl = Integer.parseInt(opt(opts, "token-ttl", "LACQUER_OIDC_TOKEN_TTL", "3600"));
        int codeTtl = Integer.parseInt(opt(opts, "code-ttl", "LACQUER_OIDC_CODE_TTL", "60"));
        String redirects = opt(opts, "redirect-uris", "LACQUER_OIDC_REDIRECT_URIS", RedirectUris.DEFAULT);
        String password = System.getenv().getOrDefault("LACQUER_DEV_PASSWORD", DevPassword.DEFAULT);

        if (!realm.matches("[A-Za-z0-9._-]{1,64}")) {
            fail("invalid realm name: " + realm);
        }
        if (ttl < 1 || ttl > TokenEndpoint.MAX_TTL) {
            fail("--token-ttl must be within 1.." + TokenEndpoint.MAX_TTL);
        }
        if (codeTtl < 1 || codeTtl > 600) {
            fail("--code-ttl must be within 1..600");
        }
        if (password.isEmpty()) {
            fail("LACQUER_DEV_PASSWORD must not be empty");
        }
        RedirectUris redirectUris = null;
        try {
            redirectUris = RedirectUris.parse(redirects);
        } catch (IllegalArgumentException e) {
            fail("--redirect-uris: " + e.getMessage());
        }
        InetAddress bind = InetAddress.getByName(host);
        if (!bind.isLoopbackAddress()) {
            fail("refusing to listen on " + host + ": the dev OIDC issuer binds to loopback only");
        }

        SigningKey key = SigningKey.loadOrCreate(dataDir);
        String hostPart = bind instanceof java.net.Inet6Address ? "[" + bind.getHostAddress() + "]" : bind.getHostAddress();
        String realmPath = "/realms/" + realm;
        String issuer = "http://" + hostPart + ":" + port + realmPath;
        DevOidcIssuer app = new DevOidcIssuer(issuer, realmPath, key, password, ttl, Duration.ofSeconds(codeTtl),
                redirectUris);

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
        log("* (LACQUER_DEV_PASSWORD" + (password.equals(DevPassword.DEFAULT) ? ", default '" + DevPassword.DEFAULT + "'" : "") + ").");
        log("* NEVER expose or deploy it: use a real identity provider (Keycloak) instead.");
        log(bar);
        log("issuer " + issuer + " listening on " + hostPart + ":" + port
                + "; signing key kid=" + key.kid + (key.generated ? " (new, written to " : " (loaded from ")
                + dataDir.toAbsolutePath() + "); redirect URIs " + redirectUris + "; codes valid " + codeTtl + " s");
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
            String oidc = realmPath + "/protocol/openid-connect";
            boolean token = path.equals(oidc + "/token");
            allowBrowsers(ex, token);
            if (method.equals("OPTIONS")) {
                ex.getResponseHeaders().add("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
                ex.getResponseHeaders().add("Access-Control-Allow-Headers", "Authorization, Content-Type");
                ex.getResponseHeaders().add("Access-Control-Max-Age", "600");
                ex.sendResponseHeaders(204, -1);
                return;
            }
            boolean get = method.equals("GET") || method.equals("HEAD");
            if (path.equals(realmPath + "/.well-known/openid-configuration")) {
                requireGet(ex, get, discovery());
            } else if (path.equals(oidc + "/certs")) {
                requireGet(ex, get, Map.of("keys", List.of(key.jwk())));
            } else if (token) {
                if (method.equals("POST")) {
                    tokenEndpoint.handle(ex);
                } else {
                    Http.methodNotAllowed(ex, "POST");
                }
            } else if (path.equals(oidc + "/auth")) {
                if (method.equals("GET") || method.equals("POST")) {
                    browserLogin.authorize(ex);
                } else {
                    Http.methodNotAllowed(ex, "GET, POST");
                }
            } else if (path.equals(oidc + "/logout")) {
                if (method.equals("GET")) {
                    browserLogin.logout(ex);
                } else {
                    Http.methodNotAllowed(ex, "GET");
                }
            } else if (path.equals(realmPath)) {
                requireGet(ex, get, realmInfo());
            } else if (path.equals("/health/ready") || path.equals("/health")) {
                requireGet(ex, get, Map.of("status", "UP"));
            } else {
                Http.json(ex, 404, Http.error("not_found", "no such endpoint"));
            }
        } catch (RuntimeException e) {
            log("error handling " + ex.getRequestMethod() + " " + ex.getRequestURI() + ": " + e);
            try {
                Http.json(ex, 500, Http.error("server_error", "internal error"));
            } catch (IOException | RuntimeException ignored) {
                // response already started
            }
        } finally {
            ex.close();
        }
    }

    /**
     * CORS: discovery, JWKS and realm info are public and answer any origin; the token endpoint answers only pages
     * of the origins the redirect URI allow-list names (as Keycloak's web origins "+").
     */
    private void allowBrowsers(HttpExchange ex, boolean token) {
        if (!token) {
            ex.getResponseHeaders().add("Access-Control-Allow-Origin", "*");
            return;
        }
        ex.getResponseHeaders().add("Vary", "Origin");
        String origin = ex.getRequestHeaders().getFirst("Origin");
        if (origin != null && redirectUris.allowsOrigin(origin)) {
            ex.getResponseHeaders().add("Access-Control-Allow-Origin", origin);
        }
    }

    private void requireGet(HttpExchange ex, boolean get, Map<String, Object> body) throws IOException {
        if (get) {
            Http.json(ex, 200, body);
        } else {
            Http.methodNotAllowed(ex, "GET, HEAD");
        }
    }

    private Map<String, Object> discovery() {
        String oidc = issuer + "/protocol/openid-connect";
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("issuer", issuer);
        d.put("authorization_endpoint", oidc + "/auth");
        d.put("token_endpoint", oidc + "/token");
        d.put("jwks_uri", oidc + "/certs");
        d.put("end_session_endpoint", oidc + "/logout");
        d.put("grant_types_supported", List.of("authorization_code", "password"));
        d.put("response_types_supported", List.of("code"));
        d.put("response_modes_supported", List.of("query"));
        d.put("code_challenge_methods_supported", List.of(Pkce.S256));
        d.put("authorization_response_iss_parameter_supported", true);
        d.put("subject_types_supported", List.of("public"));
        d.put("id_token_signing_alg_values_supported", List.of("RS256"));
        d.put("token_endpoint_auth_methods_supported", List.of("none", "client_secret_post", "client_secret_basic"));
        d.put("scopes_supported", List.of("openid", "profile"));
        d.put("claims_supported", List.of("iss", "sub", "aud", "exp", "iat", "nbf", "jti", "azp", "nonce",
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

    // ---------------------------------------------------------------------------------------------
    // helpers

    private static Map<String, String> parseArgs(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                System.out.println("usage: DevOidcIssuer [--host 127.0.0.1] [--port 19180] [--realm lacquer]"
                        + " [--data-dir DIR] [--token-ttl SECONDS] [--code-ttl SECONDS] [--redirect-uris PATTERNS]");
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
            if (!OPTIONS.contains(name)) {
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
