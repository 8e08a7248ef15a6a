package dev.lacquer.api.job.mapping;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lacquer.api.job.repository.JobStatus;
import dev.lacquer.model.DesignSettings;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A job as clients see it. Field names follow the seed's JSON ({@code jobId}, {@code status},
 * {@code createdAt}, {@code resultImages}, {@code originalImage}, {@code designSettings}); image
 * fields are URLs the client can download.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobView(UUID jobId, JobStatus status, Instant createdAt, Instant startedAt, Instant completedAt,
                      int progress, int imageCount, String prompt, DesignSettings designSettings,
                      String originalImage, List<String> resultImages, List<String> thumbnails, String errorCode,
                      String error, boolean autoSaved, boolean seen, boolean cancelRequested, int attempt,
                      String model) {
}
