package dev.lacquer.worker;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lacquer.model.Topics;
import dev.lacquer.model.event.EventCodec;
import dev.lacquer.model.event.GenerationCompleted;
import dev.lacquer.model.event.GenerationRequested;
import dev.lacquer.model.event.ModelOptions;
import dev.lacquer.testsupport.StackAddresses;
import dev.lacquer.worker.support.Events;
import dev.lacquer.worker.support.RequestSender;
import dev.lacquer.worker.support.TestPhotos;
import dev.lacquer.worker.support.TopicWatcher;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** Probes, Prometheus series and job log lines of the worker, as an operator reads them. */
@QuarkusTest
class WorkerObservabilityTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String DLQ_SERIES = "topic=\"" + Topics.REQUESTS_DLQ + "\"";

    private static TopicWatcher events;

    @Inject
    S3Client s3;

    @ConfigProperty(name = "lacquer.worker.storage.bucket")
    String bucket;

    @BeforeAll
    static void watch() {
        events = new TopicWatcher(Topics.EVENTS);
    }

    @AfterAll
    static void stopWatching() {
        if (events != null) {
            events.close();
        }
    }

    @Test
    void livenessNeedsNothingOutsideTheProcessAndReadinessCoversKafkaAndTheStore() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", everyItem(equalTo("SmallRye Reactive Messaging - liveness check")));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItems("object-store", "SmallRye Reactive Messaging - readiness check"));
        given().get("/q/health/started").then().statusCode(200);
    }

    @Test
    void aJobAndADeadLetterShowUpOnMetricsAndJobLinesCarryTheJobIdButNeverThePrompt() {
        List<ExtLogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record instanceof ExtLogRecord ext && record.getLevel().intValue() > Level.FINE.intValue()) {
                    ext.copyAll(); // the MDC of the logging thread
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
        String prompt = "secret-worker-prompt-" + UUID.randomUUID();
        UUID jobId = UUID.randomUUID();
        double deadBefore = value(metrics(), "lacquer_dead_letters_total", DLQ_SERIES);
        try (RequestSender sender = new RequestSender(s3, bucket)) {
            String userId = RequestSender.newUser();
            String key = sender.storeOriginal(userId, jobId, TestPhotos.jpeg(640, 480), "image/jpeg");
            sender.send(GenerationRequested.of(jobId, userId, 1, prompt, RequestSender.SETTINGS, key, "image/jpeg", 1,
                    ModelOptions.defaults()));
            sender.sendRaw("garbage-" + UUID.randomUUID(), "{not a request");
            await().atMost(TIMEOUT).until(() -> !Events.ofType(events, jobId, GenerationCompleted.class).isEmpty());
            await().atMost(TIMEOUT).until(() -> value(metrics(), "lacquer_dead_letters_total", DLQ_SERIES)
                    >= deadBefore + 1);
        } finally {
            root.removeHandler(capture);
        }

        String metrics = metrics();
        for (String series : List.of("lacquer_worker_jobs_in_flight", "lacquer_worker_jobs_completed_total",
                "lacquer_worker_generation_duration_seconds_bucket", "lacquer_worker_requests_unreadable_total",
                // Consumer lag of group lacquer-worker, from the Kafka client metrics.
                "kafka_consumer_fetch_manager_records_lag")) {
            assertTrue(metrics.contains(series), series + " is on /q/metrics");
        }
        List<ExtLogRecord> aboutJob = records.stream()
                .filter(r -> String.valueOf(r.getFormattedMessage()).contains(jobId.toString())).toList();
        assertFalse(aboutJob.isEmpty());
        aboutJob.stream().filter(r -> r.getLoggerName().startsWith("dev.lacquer.worker.job"))
                .forEach(r -> assertEquals(jobId.toString(), r.getMdc("jobId"), "MDC jobId on " + r.getFormattedMessage()));
        assertFalse(records.stream().anyMatch(r -> String.valueOf(r.getFormattedMessage()).contains(prompt)),
                "the prompt is never logged above DEBUG");
    }

    @Test
    void theEventsOfAJobContinueTheTraceOfItsRequest() throws Exception {
        String traceId = UUID.randomUUID().toString().replace("-", "");
        UUID jobId = UUID.randomUUID();
        try (RequestSender sender = new RequestSender(s3, bucket);
             KafkaProducer<String, String> producer = producer()) {
            String userId = RequestSender.newUser();
            String key = sender.storeOriginal(userId, jobId, TestPhotos.jpeg(640, 480), "image/jpeg");
            GenerationRequested request = GenerationRequested.of(jobId, userId, 1, "traced", RequestSender.SETTINGS,
                    key, "image/jpeg", 1, ModelOptions.defaults());
            ProducerRecord<String, String> record = new ProducerRecord<>(Topics.REQUESTS, jobId.toString(),
                    EventCodec.encode(request));
            // As the API's outbox relay sends it: inside the trace of the create request.
            record.headers().add("traceparent", ("00-" + traceId + "-" + traceId.substring(0, 16) + "-01")
                    .getBytes(StandardCharsets.UTF_8));
            producer.send(record).get(10, TimeUnit.SECONDS);
        }
        await().atMost(TIMEOUT).until(() -> !Events.ofType(events, jobId, GenerationCompleted.class).isEmpty());
        List<ConsumerRecord<String, String>> records = Events.records(events, jobId);
        assertTrue(records.size() >= 2, "started and completed at least");
        for (ConsumerRecord<String, String> event : records) {
            String traceparent = TopicWatcher.header(event, "traceparent");
            assertTrue(traceparent != null && traceparent.startsWith("00-" + traceId + "-"),
                    TopicWatcher.header(event, "ce_type") + " carries traceparent " + traceparent);
        }
    }

    private static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, StackAddresses.kafkaBootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static double value(String metrics, String name, String label) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+|NaN)( # .*)?$")
                .matcher(metrics);
        while (m.find()) {
            if (m.group(1) != null && m.group(1).contains(label)) {
                return Double.parseDouble(m.group(2));
            }
        }
        return 0;
    }
}
