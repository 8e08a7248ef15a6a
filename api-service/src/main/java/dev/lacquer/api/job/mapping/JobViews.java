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

    public JobView of(GenerationJob job) {
        return new JobView(job.id, job.status, job.createdAt, job.startedAt, job.completedAt, job.progress,
                job.imageCount, job.prompt, job.designSettings, urls.urlOf(job.originalImageKey),
                urls.urlsOf(job.resultImageKeys), urls.urlsOf(job.thumbnailKeys), job.errorCode, job.errorMessage,
                job.autoSaved, job.seenAt != null, job.cancelRequestedAt != null, job.attempt, job.model);
    }
}
