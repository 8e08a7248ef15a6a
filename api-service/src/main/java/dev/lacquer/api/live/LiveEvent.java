package dev.lacquer.api.live;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The data of one Server-Sent Event: a change of one of the user's jobs, with fresh thumbnail URLs. {@code attempt} is 0
 * in changes stored before it was recorded.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LiveEvent(UUID jobId, String change, String status, int attempt, int progress, int imageCount,
                        List<String> thumbnails, String errorCode, String error, Instant at) {
}
