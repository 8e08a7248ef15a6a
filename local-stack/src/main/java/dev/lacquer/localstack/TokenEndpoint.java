package dev.lacquer.localstack;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST .../protocol/openid-connect/token}: {@code grant_type=password} (the shared dev password) and
 * {@code grant_type=authorization_code} (a code from {@link BrowserLogin}, redeemed once, by the client it was
 * issued to, with the same redirect URI and the PKCE verifier of its challenge). Errors are Keycloak's.
 */
final class TokenEndpoint {

    static final int MAX_TTL = 86_400;

    private final DevPassword password;
    private final Tokens tokens;
    private final AuthorizationCodes codes;
    private final int defaultTtl;

    TokenEndpoint(DevPassword password, Tokens tokens, AuthorizationCodes codes, int defaultTtl) {
        this.password = password;
        this.tokens = tokens;
        this.codes = codes;
        this.defaultTtl = defaultTtl;
    }

    void handle(HttpExchange ex) throws IOException {
        Map<String, String> form;
        String clientId;
        try {
            form = Http.form(ex);
            clientId = clientId(ex, form);
        } catch (Http.BadRequest e) {
            Http.json(ex, e.status, Http.error(e.error, e.getMessage()));
            return;
        }
        String grantType = form.get("grant_type");
        if (grantType == null || grantType.isEmpty()) {
            Http.json(ex, 400, Http.error("invalid_request", "Missing form parameter: grant_type"));
        } else if (grantType.equals("password")) {
            passwordGrant(ex, form, clientId);
        } else if (grantType.equals("authorization_code")) {
            codeGrant(ex, form, clientId);
        } else {
            Http.json(ex, 400, Http.error("unsupported_grant_type", "Unsupported grant_type"));
        }
    }

    /** {@code client_id} from the form, or from HTTP Basic (public clients may send an empty secret). */
    private static String clientId(HttpExchange ex, Map<String, String> form) throws Http.BadRequest {
        String clientId = form.get("client_id");
        String basic = ex.getRequestHeaders().getFirst("Authorization");
        if (basic == null || !basic.regionMatches(true, 0, "Basic ", 0, 6)) {
            return clientId;
        }
        String basicId;
        try {
            String decoded = new String(Base64.getDecoder().decode(basic.substring(6).trim()), StandardCharsets.UTF_8);
            basicId = URLDecoder.decode(decoded.split(":", 2)[0], StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Http.BadRequest(401, "invalid_client", "Invalid client or Invalid client credentials");
        }
        if (clientId != null && !clientId.equals(basicId)) {
            throw new Http.BadRequest(400, "invalid_request", "client_id differs from the Authorization header");
        }
        return basicId;
    }

    private void passwordGrant(HttpExchange ex, Map<String, String> form, String clientId) throws IOException {
        if (!Clients.mayUsePassword(clientId)) {
            DevOidcIssuer.log("token refused: client " + Http.printable(clientId) + " may not use the password grant");
            Http.json(ex, 401, Http.error("invalid_client", "Invalid client or Invalid client credentials"));
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
                Http.json(ex, 400, Http.error("invalid_request", "expires_in must be an integer within 1.." + MAX_TTL));
                return;
            }
        }
        String username = form.get("username");
        String secret = form.get("password");
        if (username == null || secret == null) {
            Http.json(ex, 400, Http.error("invalid_request", "Missing parameter: " + (username == null ? "username" : "password")));
            return;
        }
        if (!password.accepts(username, secret)) {
            DevOidcIssuer.log("token refused: invalid credentials for user " + Http.printable(username) + " (client " + clientId + ")");
            Http.json(ex, 401, Http.error("invalid_grant", "Invalid user credentials"));
            return;
        }
        issue(ex, username, clientId, ttl, null, "password");
    }

    private void codeGrant(HttpExchange ex, Map<String, String> form, String clientId) throws IOException {
        if (!Clients.mayUseCodeFlow(clientId)) {
            DevOidcIssuer.log("token refused: client " + Http.printable(clientId) + " may not use the code flow");
            Http.json(ex, 401, Http.error("invalid_client", "Invalid client or Invalid client credentials"));
            return;
        }
        for (String required : new String[] {"code", "redirect_uri", "code_verifier"}) {
            if (form.get(required) == null || form.get(required).isEmpty()) {
                Http.json(ex, 400, Http.error("invalid_request", "Missing parameter: " + required));
                return;
            }
        }
        Optional<AuthorizationCodes.Grant> redeemed = codes.redeem(form.get("code"));
        String refusal = redeemed.isEmpty() ? "Code not valid" : refusal(redeemed.get(), clientId, form);
        if (refusal != null) {
            DevOidcIssuer.log("token refused: " + refusal + " (client " + clientId + ")");
            Http.json(ex, 400, Http.error("invalid_grant", refusal));
            return;
        }
        AuthorizationCodes.Grant grant = redeemed.orElseThrow();
        issue(ex, grant.username(), clientId, defaultTtl, grant.nonce() == null ? "" : grant.nonce(), "authorization_code");
    }

    /** Why a redeemed code does not give tokens to this request, or null when it does. */
    private static String refusal(AuthorizationCodes.Grant grant, String clientId, Map<String, String> form) {
        if (!grant.clientId().equals(clientId)) {
            return "Code was issued to another client";
        }
        if (!grant.redirectUri().equals(form.get("redirect_uri"))) {
            return "Incorrect redirect_uri";
        }
        if (!Pkce.verifies(form.get("code_verifier"), grant.codeChallenge())) {
            return "PKCE verification failed: code_verifier does not match the code_challenge";
        }
        return null;
    }

    private void issue(HttpExchange ex, String username, String clientId, int ttl, String nonce, String grant)
            throws IOException {
        Map<String, Object> response = tokens.response(username, clientId, ttl, nonce);
        ex.getResponseHeaders().add("Cache-Control", "no-store");
        ex.getResponseHeaders().add("Pragma", "no-cache");
        DevOidcIssuer.log("token issued: user " + username + " roles " + Tokens.rolesOf(username) + " client " + clientId
                + " grant " + grant + " expires_in " + ttl);
        Http.json(ex, 200, response);
    }
}
