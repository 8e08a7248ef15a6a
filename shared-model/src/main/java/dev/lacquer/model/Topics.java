package dev.lacquer.model;

/** Kafka topic names. Every record is keyed by the job id, so one job's events stay in order. */
public final class Topics {
    /** API → worker: {@code GenerationRequested} and {@code GenerationCancelRequested}. */
    public static final String REQUESTS = "generation.requests";
    /** Worker → API: started, progress, completed, failed, canceled. */
    public static final String EVENTS = "generation.events";
    /** Records of {@link #REQUESTS} that could not be read. */
    public static final String REQUESTS_DLQ = REQUESTS + ".dlq";
    /** Records of {@link #EVENTS} that could not be read. */
    public static final String EVENTS_DLQ = EVENTS + ".dlq";

    private Topics() {
    }
}
