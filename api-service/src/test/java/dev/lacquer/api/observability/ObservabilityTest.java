package dev.lacquer.api.observability;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lacquer.api.support.ApiClient;
import dev.lacquer.api.support.Kafka;
import dev.lacquer.api.support.TestPhotos;
import dev.lacquer.api.support.WorkerSide;
import dev.lacquer.model.Topics;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Logger;
import org.junit.jupiter.api.Test;

/** Probes, Prometheus series, the job id in the logging context and the trace context on Kafka, as operators see them. */
@QuarkusTest
class ObservabilityTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    ActiveJobsGauge activeJobs;

    @Test
    void livenessNeedsNothingOutsideTheProcessAndReadinessCoversEveryDependency() {
        // Only in-process state: the messaging channels have not failed. No database, Kafka or object-store check.
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", everyItem(equalTo("SmallRye Reactive Messaging - liveness check")));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("Database connections health check",
                        "SmallRye Reactive Messaging - readiness check", "object-store"));
        given().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void aJobThroughTheSystemShowsUpOnMetrics() {
        ApiClient alice = ApiClient.newUser("metrics");
        UUID jobId = alice.createJob("metrics chrome", 2);
        WorkerSide worker = new WorkerSide(jobId, alice.user());
        Kafka.publishEvent(worker.started(1));
        await().atMost(WAIT).until(() -> "processing".equals(alice.status(jobId)));
        activeJobs.refresh();
        assertTrue(value(metrics(), "lacquer_jobs_active", "status=\"processing\"") >= 1, "a job in flight");

        Kafka.publishEvent(worker.completed(1, 2));
        await().atMost(WAIT).until(() -> "completed".equals(alice.status(jobId)));
        double deadBefore = value(metrics(), "lacquer_dead_letters_total", "topic=\"generation.events.dlq\"");
        Kafka.send(Topics.EVENTS, jobId.toString(), "this is not an event");
        await().atMost(WAIT).untilAsserted(() -> assertEquals(deadBefore + 1, value(metrics(),
                "lacquer_dead_letters_total", "topic=\"generation.events.dlq\""), () -> metrics().lines()
                .filter(l -> l.contains("dead_letters")).toList().toString()));

        String metrics = metrics();
        for (String series : List.of("lacquer_jobs_created_total", "lacquer_jobs_completed_total",
                "lacquer_credits_charged_total", "lacquer_outbox_backlog",
                "lacquer_jobs_queue_wait_seconds_bucket", "lacquer_jobs_generation_duration_seconds_bucket",
                "lacquer_jobs_generation_duration_seconds_count", "lacquer_jobs_active{status=\"pending\"",
                // Consumer lag of the API's own group, from the Kafka client metrics.
                "kafka_consumer_fetch_manager_records_lag")) {
            assertTrue(metrics.contains(series), series + " is on /q/metrics");
        }
        assertTrue(value(metrics, "lacquer_jobs_generation_duration_seconds_count", "") >= 1);
    }

    @Test
    void jobLinesCarryTheJobIdAndNoPromptIsLoggedAboveDebug() {
        List<ExtLogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record instanceof ExtLogRecord ext && record.getLevel().intValue() > Level.FINE.intValue()) {
                    ext.copyAll(); // the MDC and the message of the logging thread, not of the reading one
                    records.add(ext);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        String prompt = "secret-prompt-" + UUID.randomUUID();
        try {
            ApiClient bob = ApiClient.newUser("logs");
            UUID jobId = bob.createJob(prompt, 1);
            WorkerSide worker = new WorkerSide(jobId, bob.user());
            Kafka.publishEvent(worker.started(1));
            Kafka.publishEvent(worker.completed(1, 1));
            await().atMost(WAIT).until(() -> "completed".equals(bob.status(jobId)));
            bob.job(jobId).then().statusCode(200);

            List<ExtLogRecord> aboutJob = records.stream()
                    .filter(r -> String.valueOf(r.getFormattedMessage()).contains(jobId.toString())).toList();
            assertTrue(aboutJob.stream().anyMatch(r -> r.getFormattedMessage().contains("completed")), aboutJob::toString);
            aboutJob.stream().filter(r -> r.getLoggerName().startsWith("dev.lacquer.api.job.service.JobEventService"))
                    .forEach(r -> assertEquals(jobId.toString(), r.getMdc("jobId"),
                            "MDC jobId on: " + r.getFormattedMessage()));
            assertFalse(records.stream().anyMatch(r -> String.valueOf(r.getFormattedMessage()).contains(prompt)),
                    "the prompt is never logged above DEBUG");
        } finally {
            root.removeHandler(capture);
        }
    }

    @Test
    void theRequestOnKafkaBelongsToTheTraceOfTheCreateRequest() {
        ApiClient carol = ApiClient.newUser("trace");
        // The client (or a gateway) starts the trace; the job's record on Kafka must continue it, although the outbox
        // relay publishes it later, from another thread.
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String clientSpan = traceId.substring(0, 16);
        try (KafkaConsumer<String, String> requests = Kafka.tail(Topics.REQUESTS)) {
            String id = carol.request().header("traceparent", "00-" + traceId + "-" + clientSpan + "-01")
                    .contentType(ContentType.JSON)
                    .body(Map.of("prompt", "traced glitter", "originalImage", TestPhotos.pngDataUrl(), "imageCount", 1))
                    .post("/api/generate-nail-design-job").then().statusCode(202).extract().path("jobId");
            List<ConsumerRecord<String, String>> published = Kafka.await(requests, r -> id.equals(r.key()), 1, WAIT);
            assertEquals(1, published.size());
            Header traceparent = published.get(0).headers().lastHeader("traceparent");
            assertTrue(traceparent != null, "a W3C traceparent header on " + published.get(0).headers());
            String value = new String(traceparent.value(), StandardCharsets.UTF_8);
            assertTrue(value.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]"), value);
            assertEquals(traceId, value.substring(3, 35), "the record continues the create request's trace");
        }
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /**
     * The value of the first series named {@code name} whose labels contain {@code label}; 0 when absent. With
     * tracing on, a sample may end with an OpenMetrics exemplar ({@code # {trace_id=...} ...}).
     */
    private static double value(String metrics, String name, String label) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+|NaN)( # .*)?$").matcher(metrics);
        while (m.find()) {
            if (label.isEmpty() || (m.group(1) != null && m.group(1).contains(label))) {
                return Double.parseDouble(m.group(2));
            }
        }
        return 0;
    }
}
