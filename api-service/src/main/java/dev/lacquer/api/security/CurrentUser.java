package dev.lacquer.api.security;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;

/** The signed-in user: the subject of the validated bearer token. */
@RequestScoped
public class CurrentUser {

    private final SecurityIdentity identity;

    CurrentUser(SecurityIdentity identity) {
        this.identity = identity;
    }

    public String id() {
        return identity.getPrincipal().getName();
    }

    public boolean isAdmin() {
        return identity.hasRole("admin");
    }
}
