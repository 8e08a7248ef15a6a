package dev.lacquer.localstack;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The browser side of the authorization code flow: {@code GET .../auth} checks the authorization request and shows
 * a login form, {@code POST .../auth} checks the dev password and redirects to the client with a single-use code
 * and its {@code state}; {@code GET .../logout} sends the browser back to an allowed URI. There is no session: every
 * sign-in shows the form.
 *
 * <p>As RFC 6749 4.1.2.1 asks, an unknown client or a redirect URI off the allow-list is answered here with an
 * error page, never with a redirect; every other error goes back to the client as {@code error} and {@code state}.
 */
final class BrowserLogin {

    /** A valid authorization request: what the code will be bound to. */
    private record AuthorizationRequest(String clientId, String redirectUri, String state, String codeChallenge,
                                        String nonce) {
    }

    /** The request cannot go on: shown as a page ({@code redirect} false) or sent back to the client. */
    private static final class Refused extends Exception {
        final boolean redirect;
        final String error;

        Refused(boolean redirect, String error, String description) {
            super(description, null, false, false);
            this.redirect = redirect;
            this.error = error;
        }
    }

    private final String issuer;
    private final String formAction;
    private final RedirectUris redirectUris;
    private final DevPassword password;
    private final AuthorizationCodes codes;

    BrowserLogin(String issuer, String formAction, RedirectUris redirectUris, DevPassword password,
                 AuthorizationCodes codes) {
        this.issuer = issuer;
        this.formAction = formAction;
        this.redirectUris = redirectUris;
        this.password = password;
        this.codes = codes;
    }

    void authorize(HttpExchange ex) throws IOException {
        boolean post = ex.getRequestMethod().equalsIgnoreCase("POST");
        Map<String, String> params;
        try {
            params = post ? Http.form(ex) : Http.query(ex);
        } catch (Http.BadRequest e) {
            Http.html(ex, e.status, messagePage("Sign-in request not valid", e.getMessage()));
            return;
        }
        AuthorizationRequest request;
        try {
            request = check(params);
        } catch (Refused refused) {
            DevOidcIssuer.log("authorization refused: " + refused.error + " " + refused.getMessage());
            if (refused.redirect) {
                Map<String, String> answer = new LinkedHashMap<>();
                answer.put("error", refused.error);
                answer.put("error_description", refused.getMessage());
                answer.put("state", params.get("state"));
                Http.redirect(ex, withQuery(params.get("redirect_uri"), answer));
            } else {
                Http.html(ex, 400, messagePage("Sign-in request not valid", refused.getMessage()));
            }
            return;
        }
        if (!post) {
            Http.html(ex, 200, loginPage(request, "", null));
            return;
        }
        String username = params.getOrDefault("username", "").trim();
        if (!password.accepts(username, params.get("password"))) {
            DevOidcIssuer.log("sign-in refused: invalid credentials for user " + Http.printable(username));
            Http.html(ex, 200, loginPage(request, username, "Invalid username or password."));
            return;
        }
        String code = codes.issue(request.clientId(), request.redirectUri(), request.codeChallenge(), username,
                request.nonce());
        DevOidcIssuer.log("signed in: user " + username + " client " + request.clientId() + ", code valid for "
                + codes.lifetime().toSeconds() + " s");
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("code", code);
        answer.put("state", request.state());
        Http.redirect(ex, withQuery(request.redirectUri(), answer));
    }

    /** RP-initiated logout: there is no session to end, so it only sends the browser back. */
    void logout(HttpExchange ex) throws IOException {
        Map<String, String> params;
        try {
            params = Http.query(ex);
        } catch (Http.BadRequest e) {
            Http.html(ex, e.status, messagePage("Sign-out request not valid", e.getMessage()));
            return;
        }
        String back = params.get("post_logout_redirect_uri");
        if (back == null || back.isEmpty()) {
            Http.html(ex, 200, messagePage("Signed out", "You are signed out."));
        } else if (redirectUris.allows(back)) {
            Map<String, String> answer = new LinkedHashMap<>();
            answer.put("state", params.get("state"));
            Http.redirect(ex, withQuery(back, answer));
        } else {
            Http.html(ex, 400, messagePage("Sign-out request not valid", "post_logout_redirect_uri is not allowed"));
        }
    }

    private AuthorizationRequest check(Map<String, String> params) throws Refused {
        String clientId = params.get("client_id");
        if (!Clients.mayUseCodeFlow(clientId)) {
            throw new Refused(false, "invalid_client", "Client not found: " + Http.printable(clientId));
        }
        String redirectUri = params.get("redirect_uri");
        if (!redirectUris.allows(redirectUri)) {
            throw new Refused(false, "invalid_redirect_uri", "Invalid parameter: redirect_uri");
        }
        if (!"code".equals(params.get("response_type"))) {
            throw new Refused(true, "unsupported_response_type", "Only response_type=code is supported");
        }
        String responseMode = params.get("response_mode");
        if (responseMode != null && !responseMode.equals("query")) {
            throw new Refused(true, "invalid_request", "Only response_mode=query is supported");
        }
        String challenge = params.get("code_challenge");
        if (challenge == null || challenge.isEmpty()) {
            throw new Refused(true, "invalid_request", "Missing parameter: code_challenge (PKCE is required)");
        }
        if (!Pkce.S256.equals(params.get("code_challenge_method"))) {
            throw new Refused(true, "invalid_request", "Invalid parameter: code_challenge_method (S256 is required)");
        }
        if (!Pkce.isChallenge(challenge)) {
            throw new Refused(true, "invalid_request", "Invalid parameter: code_challenge");
        }
        return new AuthorizationRequest(clientId, redirectUri, params.get("state"), challenge, params.get("nonce"));
    }

    /** The URI with these parameters added to its query (null values left out) and {@code iss} (RFC 9207). */
    private String withQuery(String uri, Map<String, String> parameters) {
        StringBuilder out = new StringBuilder(uri);
        char separator = uri.contains("?") ? '&' : '?';
        Map<String, String> all = new LinkedHashMap<>(parameters);
        all.put("iss", issuer);
        for (Map.Entry<String, String> p : all.entrySet()) {
            if (p.getValue() == null) {
                continue;
            }
            out.append(separator).append(p.getKey()).append('=').append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        return out.toString();
    }

    private String loginPage(AuthorizationRequest request, String username, String error) {
        StringBuilder hidden = new StringBuilder();
        Map<String, String> carried = new LinkedHashMap<>();
        carried.put("response_type", "code");
        carried.put("client_id", request.clientId());
        carried.put("redirect_uri", request.redirectUri());
        carried.put("state", request.state());
        carried.put("code_challenge", request.codeChallenge());
        carried.put("code_challenge_method", Pkce.S256);
        carried.put("nonce", request.nonce());
        carried.forEach((name, value) -> {
            if (value != null) {
                hidden.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"")
                        .append(Http.escape(value)).append("\">\n");
            }
        });
        return page("Sign in to Lacquer", """
                <h1>Sign in to Lacquer</h1>
                <p class="note">Development issuer: any username with the shared dev password.</p>
                %s<form id="kc-form-login" method="post" action="%s">
                <label for="username">Username</label>
                <input id="username" name="username" autocomplete="username" autofocus required value="%s">
                <label for="password">Password</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required>
                %s<button id="kc-login" type="submit">Sign in</button>
                </form>
                """.formatted(error == null ? "" : "<p id=\"input-error\" role=\"alert\">" + Http.escape(error) + "</p>\n",
                Http.escape(formAction), Http.escape(username), hidden));
    }

    private static String messagePage(String title, String message) {
        return page(title, "<h1>" + Http.escape(title) + "</h1>\n<p id=\"message\">" + Http.escape(message) + "</p>\n");
    }

    private static String page(String title, String body) {
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s</title>
                <style>
                body{font-family:system-ui,sans-serif;background:#faf6f4;margin:0;display:flex;justify-content:center}
                main{background:#fff;margin-top:10vh;padding:2rem;border-radius:12px;box-shadow:0 2px 12px #0002;width:20rem}
                label{display:block;margin-top:1rem}input{width:100%%;box-sizing:border-box;padding:.5rem;font-size:1rem}
                button{margin-top:1.5rem;width:100%%;padding:.6rem;font-size:1rem;background:#b0306a;color:#fff;border:0;border-radius:6px}
                .note{color:#666;font-size:.85rem}#input-error{color:#b00020}
                </style></head>
                <body><main>
                %s</main></body></html>
                """.formatted(Http.escape(title), body);
    }
}
