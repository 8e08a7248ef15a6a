package dev.lacquer.api.look;

import dev.lacquer.api.paging.PageRequest;
import dev.lacquer.api.paging.Paged;
import dev.lacquer.api.security.CurrentUser;
import dev.lacquer.api.storage.ImageUrls;
import io.quarkus.security.Authenticated;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** The user's collection. */
@Path("/api/looks")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class LookResource {

    private final LookRepository looks;
    private final ImageUrls urls;
    private final CurrentUser user;

    LookResource(LookRepository looks, ImageUrls urls, CurrentUser user) {
        this.looks = looks;
        this.urls = urls;
        this.user = user;
    }

    @GET
    @Transactional(Transactional.TxType.SUPPORTS)
    public Paged<LookView> collection(@QueryParam("page") String page, @QueryParam("size") String size) {
        PageRequest request = PageRequest.of(page, size);
        var items = looks.collectionOf(user.id(), request.page(), request.size()).stream().map(this::view).toList();
        return new Paged<>(items, request.page(), request.size(), looks.countOf(user.id()));
    }

    private LookView view(Look look) {
        return new LookView(look.id, look.jobId, look.imageIndex, urls.urlOf(look.imageKey),
                urls.urlOf(look.thumbnailKey), urls.urlOf(look.originalImageKey), look.prompt, look.designSettings,
                look.model, look.promptTemplateVersion, look.createdAt);
    }
}
