package dev.lacquer.worker.support;

import dev.lacquer.model.DesignSettings;
import dev.lacquer.model.ObjectKeys;
import dev.lacquer.model.Topics;
import dev.lacquer.model.event.EventCodec;
import dev.lacquer.model.event.GenerationCancelRequested;
import dev.lacquer.model.event.GenerationEvent;
import dev.lacquer.model.event.GenerationRequested;
import dev.lacquer.model.event.ModelOptions;
import dev.lacquer.testsupport.StackAddresses;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Plays the API's part: stores the original photo with the S3 client and publishes requests with a plain producer. */
public final class RequestSender implements AutoCloseable {

    public static final DesignSettings SETTINGS = new DesignSettings("almond", "medium", "glossy",
            List.of("#c8102e", "#f4a6c1"), "floral accents");

    private final KafkaProducer<String, String> producer;
    private final S3Client s3;
    private final String bucket;

    public RequestSender(S3Client s3, String bucket) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, StackAddresses.kafkaBootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        this.producer = new KafkaProducer<>(props);
        this.s3 = s3;
        this.bucket = bucket;
    }

    /** A fresh user id, so tests never share keys. */
    public static String newUser() {
        return "test-user-" + UUID.randomUUID();
    }

    /** Stores {@code photo} as the job's original, as the API does at create time. */
    public String storeOriginal(String userId, UUID jobId, byte[] photo, String contentType) {
        String key = ObjectKeys.original(userId, jobId);
        s3.putObject(r -> r.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(photo));
        return key;
    }

    public GenerationRequested request(UUID jobId, String userId, int imageCount, String originalKey,
                                       String contentType) {
        return GenerationRequested.of(jobId, userId, 1, "cherry red almond nails with tiny daisies", SETTINGS,
                originalKey, contentType, imageCount, ModelOptions.defaults());
    }

    /** Stores a JPEG photo and publishes a request for it. */
    public GenerationRequested requestWithPhoto(UUID jobId, String userId, int imageCount, byte[] jpeg) {
        String key = storeOriginal(userId, jobId, jpeg, "image/jpeg");
        GenerationRequested request = request(jobId, userId, imageCount, key, "image/jpeg");
        send(request);
        return request;
    }

    /** Publishes an event keyed by its job id; answers where it landed. */
    public RecordMetadata send(GenerationEvent event) {
        return sendRaw(event.jobId().toString(), EventCodec.encode(event));
    }

    public void cancel(UUID jobId, String userId) {
        send(GenerationCancelRequested.of(jobId, userId, 1));
    }

    /** Publishes any text, readable or not, and waits for the broker's acknowledgement. */
    public RecordMetadata sendRaw(String key, String value) {
        try {
            return producer.send(new ProducerRecord<>(Topics.REQUESTS, key, value)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not publish to " + Topics.REQUESTS, e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
