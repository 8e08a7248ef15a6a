package dev.lacquer.api.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lacquer.api.support.ApiClient;
import dev.lacquer.api.support.Kafka;
import dev.lacquer.api.support.WorkerSide;
import dev.lacquer.testsupport.AccessTokens;
import dev.lacquer.testsupport.ConsumerGroups;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Live status over Server-Sent Events: every change once, in order, resumable, ticket for browsers. */
@QuarkusTest
class LiveEventsTest {

    @TestHTTPResource("/api/user/generation-events")
    URL events;

    private final HttpClient http = HttpClient.newHttpClient();

    record SseEvent(String id, String name, String data) {
    }

    @Test
    void aJobsChangesArriveInOrderAndAResumeContinuesWithoutGaps() throws Exception {
        ApiClient user = ApiClient.newUser("live");
        UUID jobId = user.createJob("live", 2);
        WorkerSide worker = new WorkerSide(jobId, user.user());

        try (Stream stream = open(user, null)) {
            SseEvent created = stream.next();
            assertEquals("created", created.name());
            assertTrue(created.data().contains(jobId.toString()));
            Kafka.publishEvent(worker.started(1));
            SseEvent started = stream.next();
            assertEquals("started", started.name());
            assertEquals(Long.parseLong(created.id()) + 1, Long.parseLong(started.id()), "gapless sequence");
            // With the attempt a client can tell a late change from a newer one (a requeue starts attempt 2).
            JsonPath startedData = JsonPath.from(started.data());
            assertEquals("processing", startedData.getString("status"), started.data());
            assertEquals(1, startedData.getInt("attempt"), started.data());
        }

        // While away: progress and completion happen.
        Kafka.publishEvent(worker.progress(1, 50));
        Kafka.publishEvent(worker.completed(1, 2));
        ConsumerGroups.awaitConsumed("lacquer-api", dev.lacquer.model.Topics.EVENTS, Duration.ofSeconds(20));

        List<SseEvent> firstRun = new ArrayList<>();
        try (Stream stream = open(user, "2")) {
            firstRun.add(stream.next());
            firstRun.add(stream.next());
        }
        assertEquals(List.of("progress", "completed"), firstRun.stream().map(SseEvent::name).toList());
        assertEquals(List.of("3", "4"), firstRun.stream().map(SseEvent::id).toList());
        assertTrue(firstRun.get(1).data().contains("\"thumbnails\":[\"http"), firstRun.get(1).data());
    }

    @Test
    void aTicketOpensTheStreamOnceWithoutAToken() throws Exception {
        ApiClient user = ApiClient.newUser("ticket");
        String ticket = user.request().post("/api/user/stream-ticket").then().statusCode(200).extract().path("ticket");
        user.createJob("by ticket", 1);

        HttpRequest byTicket = HttpRequest.newBuilder(URI.create(events + "?ticket=" + ticket)).GET().build();
        try (Stream stream = new Stream(http, byTicket)) {
            assertEquals("created", stream.next().name());
        }
        HttpResponse<String> again = http.send(byTicket, HttpResponse.BodyHandlers.ofString());
        assertEquals(401, again.statusCode(), "a ticket works once");
        HttpResponse<String> none = http.send(HttpRequest.newBuilder(URI.create(events.toString())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, none.statusCode());
    }

    @Test
    void aNewEventSourceResumesAfterTheLastEventIdItPassesAsAParameter() throws Exception {
        // A browser reconnecting with a new ticket opens a new EventSource, which cannot send Last-Event-ID.
        ApiClient user = ApiClient.newUser("resume");
        UUID first = user.createJob("first", 1);
        UUID second = user.createJob("second", 1);
        String ticket = user.request().post("/api/user/stream-ticket").then().statusCode(200).extract().path("ticket");

        HttpRequest resume = HttpRequest.newBuilder(URI.create(events + "?ticket=" + ticket + "&lastEventId=1")).GET().build();
        try (Stream stream = new Stream(http, resume)) {
            SseEvent next = stream.next();
            assertEquals("2", next.id(), "the first event after the one passed");
            assertTrue(next.data().contains(second.toString()), next.data());
            assertTrue(!next.data().contains(first.toString()), "the event already received is not sent again");
        }
    }

    private Stream open(ApiClient user, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(events.toString()))
                .header("Authorization", "Bearer " + AccessTokens.tokenFor(user.user())).GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return new Stream(http, request.build());
    }

    /** Reads a text/event-stream response into events, in the background. */
    static final class Stream implements AutoCloseable {
        private final BlockingQueue<SseEvent> received = new LinkedBlockingQueue<>();
        private final CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> response;

        Stream(HttpClient http, HttpRequest request) {
            response = http.sendAsync(request, HttpResponse.BodyHandlers.ofLines());
            response.thenAcceptAsync(r -> {
                String id = null;
                String name = null;
                StringBuilder data = new StringBuilder();
                for (String line : (Iterable<String>) r.body()::iterator) {
                    if (line.isEmpty()) {
                        if (data.length() > 0) {
                            received.add(new SseEvent(id, name, data.toString()));
                        }
                        id = null;
                        name = null;
                        data.setLength(0);
                    } else if (line.startsWith("id:")) {
                        id = line.substring(3).strip();
                    } else if (line.startsWith("event:")) {
                        name = line.substring(6).strip();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).strip());
                    }
                }
            });
        }

        SseEvent next() throws InterruptedException {
            SseEvent event = received.poll(20, TimeUnit.SECONDS);
            assertNotNull(event, "an event within 20 s");
            return event;
        }

        @Override
        public void close() {
            response.thenAccept(r -> r.body().close());
            response.cancel(true);
        }
    }
}
