package dev.lacquer.api.support;

import dev.lacquer.model.ErrorCode;
import dev.lacquer.model.event.GenerationCanceled;
import dev.lacquer.model.event.GenerationCompleted;
import dev.lacquer.model.event.GenerationFailed;
import dev.lacquer.model.event.GenerationProgress;
import dev.lacquer.model.event.GenerationStarted;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Builds the events a worker emits for one job, to publish on the real events topic. */
public record WorkerSide(UUID jobId, String userId) {

    public GenerationStarted started(int attempt) {
        return GenerationStarted.of(jobId, userId, attempt, "test-worker");
    }

    public GenerationProgress progress(int attempt, int percent) {
        return GenerationProgress.of(jobId, userId, attempt, 0, 2, percent);
    }

    public GenerationCompleted completed(int attempt, int images) {
        List<String> keys = new ArrayList<>();
        List<String> thumbs = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            keys.add("results/" + userId + "/" + jobId + "/" + i + ".png");
            thumbs.add("results/" + userId + "/" + jobId + "/thumb-" + i + ".png");
        }
        return new GenerationCompleted(UUID.randomUUID(), null, jobId, userId, attempt, Instant.now(), keys, thumbs,
                "local-renderer", "v1", 42, GenerationCompleted.Usage.none(), null, false);
    }

    public GenerationFailed failed(int attempt, ErrorCode code, boolean retryable) {
        return GenerationFailed.of(jobId, userId, attempt, code, retryable, "test");
    }

    public GenerationCanceled canceled(int attempt) {
        return GenerationCanceled.of(jobId, userId, attempt);
    }
}
