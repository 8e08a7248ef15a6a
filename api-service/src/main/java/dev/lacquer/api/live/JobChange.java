package dev.lacquer.api.live;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lacquer.api.job.repository.GenerationJob;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One change of a job, as stored for the live stream. Image keys, not URLs: URLs are signed
 * when the change is sent, so they are fresh. With the attempt, a client can order a change
 * against a job it read: (attempt, stage, progress) only grows in a job's life.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobChange(UUID jobId, String change, String status, int attempt, int progress, int imageCount,
                        List<String> thumbnailKeys, String errorCode, String error, Instant at) {

    public static JobChange of(GenerationJob job, String change) {
        return new JobChange(job.id, change, job.status.wire(), job.attempt, job.progress, job.imageCount,
                "completed".equals(change) ? job.thumbnailKeys : null, job.errorCode, job.errorMessage, Instant.now());
    }
}
