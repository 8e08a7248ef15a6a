package dev.lacquer.worker.storage;

import dev.lacquer.model.event.GenerationCompleted.Usage;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Written under {@code ObjectKeys.manifest} after every image and thumbnail of a job is stored: its presence means
 * the job's results are complete, and it holds what a {@code GenerationCompleted} needs to be sent again without
 * generating again.
 */
public record Manifest(int version, UUID jobId, String userId, int attempt, List<String> resultImageKeys,
                       List<String> thumbnailKeys, String model, String promptTemplateVersion, long generationMillis,
                       Usage usage, String providerRequestId, String workerId, Instant completedAt) {

    public static final int VERSION = 1;

    public Manifest {
        resultImageKeys = resultImageKeys == null ? List.of() : List.copyOf(resultImageKeys);
        thumbnailKeys = thumbnailKeys == null ? List.of() : List.copyOf(thumbnailKeys);
        usage = usage == null ? Usage.none() : usage;
    }
}
