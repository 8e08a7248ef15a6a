package dev.lacquer.localstack;

import java.util.Set;

/**
 * The realm's clients, as deploy/keycloak/lacquer-realm.json has them: {@code lacquer-app} (public: password grant
 * and authorization code with PKCE), {@code lacquer-web} (the reference web client, public: authorization code with
 * PKCE only) and {@code lacquer-api} (the audience; password grant kept for tests). No client has a secret.
 */
final class Clients {

    static final String WEB = "lacquer-web";
    private static final Set<String> PASSWORD_GRANT = Set.of("lacquer-app", "lacquer-api");
    /** Public clients: every code they get is bound to a PKCE S256 challenge. */
    private static final Set<String> CODE_FLOW = Set.of("lacquer-app", WEB);

    private Clients() {
    }

    static boolean mayUsePassword(String clientId) {
        return clientId != null && PASSWORD_GRANT.contains(clientId);
    }

    static boolean mayUseCodeFlow(String clientId) {
        return clientId != null && CODE_FLOW.contains(clientId);
    }
}
