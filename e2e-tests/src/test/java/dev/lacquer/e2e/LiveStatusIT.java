package dev.lacquer.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Live status across API replicas: the user's stream is on one replica, the job is created on
 * another and its events are consumed by either; every change arrives on the stream exactly
 * once, in order.
 */
class LiveStatusIT {

    @Test
    void aUserOnOneReplicaSeesEveryChangeMadeAnywhereExactlyOnce() throws Exception {
        try (ServiceProcess worker = new ServiceProcess("worker-service", Map.of()).start();
             ServiceProcess replicaA = new ServiceProcess("api-service", Map.of()).start();
             ServiceProcess replicaB = new ServiceProcess("api-service", Map.of()).start()) {
            Users onB = Users.signIn(replicaB.url(), "live-e2e");
            BlockingQueue<String[]> received = new LinkedBlockingQueue<>();
            HttpRequest stream = HttpRequest.newBuilder(URI.create(replicaA.url() + "/api/user/generation-events"))
                    .header("Authorization", "Bearer " + onB.token()).GET().build();
            var response = HttpClient.newHttpClient().sendAsync(stream, HttpResponse.BodyHandlers.ofLines());
            response.thenAcceptAsync(r -> {
                String id = null;
                for (String line : (Iterable<String>) r.body()::iterator) {
                    if (line.startsWith("id:")) {
                        id = line.substring(3).strip();
                    } else if (line.startsWith("event:")) {
                        received.add(new String[]{id, line.substring(6).strip()});
                    }
                }
            });
            Thread.sleep(500);

            UUID job = onB.createJob("seen from the other replica");
            List<String> names = new ArrayList<>();
            List<Long> ids = new ArrayList<>();
            while (!names.contains("completed")) {
                String[] event = received.poll(60, TimeUnit.SECONDS);
                assertNotNull(event, "the stream on replica A got " + names + " so far");
                names.add(event[1]);
                ids.add(Long.parseLong(event[0]));
            }
            Thread.sleep(1000);
            received.forEach(extra -> names.add(extra[1]));
            response.cancel(true);

            assertEquals("created", names.get(0));
            assertEquals("started", names.get(1));
            assertEquals("completed", names.get(names.size() - 1), "nothing after completion, no duplicate: " + names);
            for (int i = 1; i < ids.size(); i++) {
                assertEquals(ids.get(i - 1) + 1, ids.get(i), "consecutive, once each: " + ids);
            }
            assertEquals("completed", onB.at(replicaA.url()).status(job));
        }
    }
}
