package dev.lacquer.api.job.mapping;

import dev.lacquer.api.job.repository.GenerationJob;
import dev.lacquer.api.storage.ImageUrls;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class JobViews {

    private final ImageUrls urls;

    JobViews(ImageUrls urls) {
        this.urls = urls;
    }

    /** The job without a queue slot. */
    public JobView of(GenerationJob job) {
        return of(job, null);
    }

    /** The job, with its queue slot when it is pending (null otherwise). */
    public JobView of(GenerationJob job, QueueSlot slot) {
        return new JobView(job.id, job.status, job.createdAt, job.startedAt, job.completedAt, job.progress,
                job.imageCount, job.prompt, job.designSettings, urls.urlOf(job.originalImageKey),
                urls.urlsOf(job.resultImageKeys), urls.urlsOf(job.thumbnailKeys), job.errorCode, job.errorMessage,
                job.autoSaved, job.seenAt != null, job.cancelRequestedAt != null, job.attempt, job.model,
                slot == null ? null : slot.position(), slot == null ? null : slot.estimatedStartAt());
    }
}
