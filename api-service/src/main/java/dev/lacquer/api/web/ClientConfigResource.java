package dev.lacquer.api.web;

import dev.lacquer.api.config.LacquerConfig;
import dev.lacquer.api.storage.ImageUrls;
import dev.lacquer.model.DesignSettings;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.List;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * What the web client needs before anyone signs in: the issuer it reads the OIDC endpoints from (its discovery
 * document), the public client id it signs in as, and the choices the create form offers (the values the API
 * validates against, so the form never offers one the API refuses), and how long image URLs stay valid, so a page
 * left open fetches its lists again before their links expire. Nothing secret: the client has no secret.
 */
@Path("/api/client-config")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class ClientConfigResource {

    private final ClientConfig clientConfig;

    ClientConfigResource(LacquerConfig config, ImageUrls imageUrls) {
        LacquerConfig.Web web = config.web();
        this.clientConfig = new ClientConfig(web.issuer(), web.clientId(), web.scopes(),
                new DesignOptions(DesignSettings.SHAPES, DesignSettings.LENGTHS, DesignSettings.FINISHES,
                        DesignSettings.MAX_COLORS, config.jobs().maxImageCount(), config.jobs().defaultImageCount()),
                imageUrls.validAtLeast().map(Duration::toSeconds).orElse(null));
    }

    @GET
    public RestResponse<ClientConfig> clientConfig() {
        return RestResponse.ResponseBuilder.ok(clientConfig).header("Cache-Control", "no-cache").build();
    }

    /**
     * @param issuer   the OIDC issuer URL; its endpoints are in {@code {issuer}/.well-known/openid-configuration}
     * @param clientId the public client (authorization code with PKCE S256, no secret)
     * @param scopes   space-separated scopes to ask for
     * @param design   the values the create form may offer
     * @param imageLinksValidSeconds how long every image URL the API hands out stays valid at least; absent when
     *                 image URLs do not expire
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClientConfig(String issuer, String clientId, String scopes, DesignOptions design,
                               Long imageLinksValidSeconds) {
    }

    /** The design settings and image counts {@code POST /api/generate-nail-design-job} accepts. */
    public record DesignOptions(List<String> shapes, List<String> lengths, List<String> finishes, int maxColors,
                                int maxImageCount, int defaultImageCount) {
    }
}
