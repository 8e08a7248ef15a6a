package dev.lacquer.worker.messaging;

/** Names of the messaging channels, as used in {@code application.properties}. */
public final class Channels {

    /** In: {@code generation.requests} (requests and cancel requests), dead letters to {@code generation.requests.dlq}. */
    public static final String REQUESTS = "generation-requests";
    /** Out: {@code generation.events}. */
    public static final String EVENTS = "generation-events";

    private Channels() {
    }
}
