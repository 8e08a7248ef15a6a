package dev.lacquer.api.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Keeps each bearer token OIDC verified, with the identity it built, in {@link VerifiedTokens}. Runs first among the
 * augmentors, so what is kept is the identity as the provider made it and the other augmentors apply again to every
 * request. Kept without the request it was verified in.
 */
@ApplicationScoped
public class RememberVerifiedTokens implements SecurityIdentityAugmentor {

    private final VerifiedTokens verified;

    RememberVerifiedTokens(VerifiedTokens verified) {
        this.verified = verified;
    }

    @Override
    public int priority() {
        return Integer.MAX_VALUE;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (!identity.isAnonymous() && identity.getPrincipal() instanceof JsonWebToken token
                && token.getRawToken() != null && !verified.holds(token.getRawToken())) {
            verified.remember(token.getRawToken(), token.getExpirationTime(),
                    io.quarkus.security.runtime.QuarkusSecurityIdentity.builder(identity)
                            .addAttribute(RoutingContext.class.getName(), null).build());
        }
        return Uni.createFrom().item(identity);
    }
}
