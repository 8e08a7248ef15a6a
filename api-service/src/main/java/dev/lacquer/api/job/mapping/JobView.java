package dev.lacquer.api.job.mapping;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lacquer.api.job.repository.JobStatus;
import dev.lacquer.model.DesignSettings;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A job as clients see it. Field names follow the seed's JSON ({@code jobId}, {@code status},
 * {@code createdAt}, {@code resultImages}, {@code originalImage}, {@code designSettings}); image
 * fields are URLs the client can download. {@code queuePosition} and {@code estimatedStartAt} are present only
 * while the job is pending.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobView(UUID jobId, JobStatus status, Instant createdAt, Instant startedAt, Instant completedAt,
                      int progress, int imageCount, String prompt, DesignSettings designSettings,
                      String originalImage, List<String> resultImages, List<String> thumbnails, String errorCode,
                      String error, boolean autoSaved, boolean seen, boolean cancelRequested, int attempt,
                      String model,
                      @Schema(description = "Pending jobs only: 1 = next to start; 1 + the pending jobs of all users"
                              + " queued before this one. Absent once the job started.", example = "3",
                              nullable = true)
                      Long queuePosition,
                      @Schema(description = "Pending jobs only: when the job may start, estimated from the recent"
                              + " start rate (an estimate, not a promise). Absent once the job started.",
                              example = "2026-11-29T21:40:12.500Z", nullable = true)
                      Instant estimatedStartAt) {
}
