package dev.lacquer.model.event;

import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CloudEvents Kafka binding headers (binary mode attributes beside a JSON body), so operators
 * can filter a topic on {@code ce_type} or {@code ce_id} without parsing the payload.
 */
public final class CloudEventHeaders {

    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String TIME = "ce_time";
    public static final String SPEC_VERSION = "ce_specversion";
    public static final String SUBJECT = "ce_subject";
    public static final String CONTENT_TYPE = "content-type";

    private CloudEventHeaders() {
    }

    /** The headers of one event; {@code source} names the producing service, for example {@code /lacquer/api}. */
    public static Map<String, String> of(GenerationEvent event, String source) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(SPEC_VERSION, "1.0");
        headers.put(ID, event.eventId().toString());
        headers.put(TYPE, "dev.lacquer." + event.type());
        headers.put(SOURCE, source);
        headers.put(TIME, DateTimeFormatter.ISO_INSTANT.format(event.occurredAt()));
        headers.put(SUBJECT, event.jobId().toString());
        headers.put(CONTENT_TYPE, "application/json");
        return headers;
    }
}
