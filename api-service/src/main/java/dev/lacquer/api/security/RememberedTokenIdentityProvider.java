package dev.lacquer.api.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Answers a bearer token this replica verified before from {@link VerifiedTokens}; for any other token it answers
 * nothing, and Quarkus asks the next provider, OIDC's, which verifies it ({@link RememberVerifiedTokens} then keeps
 * the result). Asked first (priority above OIDC's). The identity handed out is a copy bound to the current request.
 */
@ApplicationScoped
public class RememberedTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    private final VerifiedTokens verified;

    RememberedTokenIdentityProvider(VerifiedTokens verified) {
        this.verified = verified;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    /** Above OIDC's provider, which has the interface's default (1001): providers are asked highest first. */
    @Override
    public int priority() {
        return 2000;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        SecurityIdentity known = verified.find(request.getToken().getToken());
        if (known == null) {
            return Uni.createFrom().nullItem();
        }
        RoutingContext current = HttpSecurityUtils.getRoutingContextAttribute(request);
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(known)
                .addAttribute(RoutingContext.class.getName(), current).build());
    }
}
