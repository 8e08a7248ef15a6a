package dev.lacquer.api.job.service;

import dev.lacquer.api.config.LacquerConfig;
import dev.lacquer.api.job.repository.GenerationJob;
import dev.lacquer.api.live.JobChanges;
import dev.lacquer.api.messaging.Outbox;
import dev.lacquer.model.event.GenerationCancelRequested;
import dev.lacquer.model.event.GenerationRequested;
import dev.lacquer.model.event.ModelOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** The one place that turns a job into messages for the worker, always through the outbox. */
@ApplicationScoped
public class JobRequests {

    private final Outbox outbox;
    private final LacquerConfig config;
    private final JobChanges changes;

    JobRequests(Outbox outbox, LacquerConfig config, JobChanges changes) {
        this.outbox = outbox;
        this.config = config;
        this.changes = changes;
    }

    /** Asks a worker to generate a job created in this transaction: sent at the commit (the job's first message). */
    public void requestNew(GenerationJob job) {
        outbox.enqueueNewJobRequest(requestOf(job));
    }

    /** Asks a worker to generate the job's current attempt. */
    public void request(GenerationJob job) {
        outbox.enqueueRequest(requestOf(job));
    }

    private static GenerationRequested requestOf(GenerationJob job) {
        return GenerationRequested.of(job.id, job.userId, job.attempt, job.prompt, job.designSettings,
                job.originalImageKey, job.originalContentType, job.imageCount, ModelOptions.defaults());
    }

    /** Requests the job again as its next attempt; the worker must start it within the pick-up timeout. */
    public void requestNextAttempt(GenerationJob job, Instant now) {
        job.attempt++;
        job.progress = 0;
        job.leaseExpiresAt = now.plus(config.jobs().pickupTimeout());
        job.updatedAt = now;
        request(job);
        changes.record(job, "requeued");
    }

    public void requestCancel(GenerationJob job) {
        outbox.enqueueRequest(GenerationCancelRequested.of(job.id, job.userId, job.attempt));
    }
}
