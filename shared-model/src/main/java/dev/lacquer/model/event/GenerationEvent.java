package dev.lacquer.model.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.UUID;

/**
 * Every message on the Lacquer topics. The JSON carries a {@code type} property naming the
 * record, so operators can read the topics with the stock console consumer.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = "type", visible = true)
@JsonSubTypes({
        @JsonSubTypes.Type(value = GenerationRequested.class, name = GenerationRequested.TYPE),
        @JsonSubTypes.Type(value = GenerationCancelRequested.class, name = GenerationCancelRequested.TYPE),
        @JsonSubTypes.Type(value = GenerationStarted.class, name = GenerationStarted.TYPE),
        @JsonSubTypes.Type(value = GenerationProgress.class, name = GenerationProgress.TYPE),
        @JsonSubTypes.Type(value = GenerationCompleted.class, name = GenerationCompleted.TYPE),
        @JsonSubTypes.Type(value = GenerationFailed.class, name = GenerationFailed.TYPE),
        @JsonSubTypes.Type(value = GenerationCanceled.class, name = GenerationCanceled.TYPE)
})
public sealed interface GenerationEvent
        permits GenerationRequested, GenerationCancelRequested, GenerationStarted, GenerationProgress,
        GenerationCompleted, GenerationFailed, GenerationCanceled {

    UUID eventId();

    /** The record's name, also sent as the {@code ce_type} header. */
    String type();

    UUID jobId();

    String userId();

    /** 1 for the first request of a job; a job requested again after a lost worker gets attempt + 1. */
    int attempt();

    Instant occurredAt();
}
