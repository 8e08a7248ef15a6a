package dev.lacquer.api.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lacquer.api.problem.ApiProblem;
import dev.lacquer.api.storage.ImageUrls;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Duration;
import java.util.List;

/**
 * Live status: every change of the user's jobs as Server-Sent Events, resumable with
 * {@code Last-Event-ID} (or {@code ?lastEventId=}, which a browser's new EventSource can send), with a keep-alive
 * comment every 15 s. Apps send their bearer token; browsers first take a single-use ticket and pass it as
 * {@code ?ticket=}.
 */
@Path("/api/user")
public class GenerationEventsResource {

    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private final LiveFeed feed;
    private final StreamTickets tickets;
    private final ImageUrls urls;
    private final ObjectMapper json;
    private final SecurityIdentity identity;
    private final Sse sse;

    GenerationEventsResource(LiveFeed feed, StreamTickets tickets, ImageUrls urls, ObjectMapper json,
                             SecurityIdentity identity, Sse sse) {
        this.feed = feed;
        this.tickets = tickets;
        this.urls = urls;
        this.json = json;
        this.identity = identity;
        this.sse = sse;
    }

    /** A ticket that opens the stream once, within a minute, without a token in the URL. */
    @POST
    @Path("/stream-ticket")
    @Authenticated
    @Produces(MediaType.APPLICATION_JSON)
    public Ticket ticket() {
        return new Ticket(tickets.issue(identity.getPrincipal().getName()), StreamTickets.LIFETIME.toSeconds());
    }

    @GET
    @Path("/generation-events")
    @PermitAll
    @Blocking
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> events(@QueryParam("ticket") String ticket,
                                          @HeaderParam("Last-Event-ID") String lastEventId,
                                          @QueryParam("lastEventId") String lastEventIdParam) {
        String userId = userOf(ticket);
        // A browser opening a new EventSource (a new ticket) cannot set the header: it passes the id as a parameter.
        long after = parseLastEventId(lastEventId != null && !lastEventId.isBlank() ? lastEventId : lastEventIdParam);
        Multi<OutboundSseEvent> changes = Multi.createFrom().emitter(emitter -> {
            UserStream stream = new UserStream(after, row -> emitter.emit(toSse(row)));
            Runnable unsubscribe = feed.subscribe(userId, stream::live);
            emitter.onTermination(unsubscribe);
            // Reading the stored changes blocks: never on the thread that subscribes (it may be an event loop).
            Thread.ofVirtual().start(() -> {
                try {
                    stream.replay(feed.replay(userId, after));
                } catch (RuntimeException e) {
                    emitter.fail(e);
                }
            });
        });
        Multi<OutboundSseEvent> keepAlive = Multi.createFrom().ticks().every(KEEP_ALIVE)
                .map(tick -> sse.newEventBuilder().comment("keep-alive").build());
        return Multi.createBy().merging().streams(changes, keepAlive);
    }

    private String userOf(String ticket) {
        if (ticket != null && !ticket.isBlank()) {
            return tickets.redeem(ticket).orElseThrow(
                    () -> ApiProblem.unauthorized("The stream ticket is unknown, used or expired."));
        }
        if (identity.isAnonymous()) {
            throw ApiProblem.unauthorized("A bearer token or a stream ticket is required.");
        }
        return identity.getPrincipal().getName();
    }

    private static long parseLastEventId(String raw) {
        if (raw == null || raw.isBlank()) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(raw.strip()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private OutboundSseEvent toSse(LiveFeed.Row row) {
        try {
            JobChange change = json.readValue(row.payload(), JobChange.class);
            List<String> thumbnails = change.thumbnailKeys() == null ? null : urls.urlsOf(change.thumbnailKeys());
            LiveEvent event = new LiveEvent(change.jobId(), change.change(), change.status(), change.attempt(),
                    change.progress(), change.imageCount(), thumbnails, change.errorCode(), change.error(), change.at());
            return sse.newEventBuilder().id(Long.toString(row.seq())).name(row.change())
                    .mediaType(MediaType.APPLICATION_JSON_TYPE).data(json.writeValueAsString(event)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public record Ticket(String ticket, long expiresInSeconds) {
    }
}
