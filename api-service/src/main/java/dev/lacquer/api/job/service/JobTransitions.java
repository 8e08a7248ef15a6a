package dev.lacquer.api.job.service;

import dev.lacquer.api.credit.CreditService;
import dev.lacquer.api.job.repository.GenerationJob;
import dev.lacquer.api.job.repository.JobStatus;
import dev.lacquer.api.live.JobChanges;
import dev.lacquer.model.ErrorCode;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** The final transitions of a job and their credit consequences, shared by events, users and the sweep. */
@ApplicationScoped
public class JobTransitions {

    private final CreditService credits;
    private final MeterRegistry metrics;
    private final JobChanges changes;

    JobTransitions(CreditService credits, MeterRegistry metrics, JobChanges changes) {
        this.credits = credits;
        this.metrics = metrics;
        this.changes = changes;
    }

    /** Fails an active job for good and gives back what it was charged, once. */
    public void fail(GenerationJob job, ErrorCode code, String userMessage, Instant now) {
        job.status = JobStatus.FAILED;
        job.errorCode = code.name();
        job.errorMessage = userMessage == null || userMessage.isBlank() ? code.userMessage() : userMessage;
        job.completedAt = now;
        job.leaseExpiresAt = null;
        job.updatedAt = now;
        credits.refund(job, "generation failed: " + code.name());
        changes.record(job, "failed");
        metrics.counter("lacquer.jobs.failed", "error_code", code.name()).increment();
        Log.infof("job %s: failed with %s", job.id, code);
    }

    /**
     * Cancels an active job. Billing rule (README, "Canceling a job"): a job canceled before it
     * started was never charged; a job canceled while generating is refunded in full, because the
     * user receives no designs from it.
     */
    public void cancel(GenerationJob job, Instant now) {
        job.status = JobStatus.CANCELED;
        job.completedAt = now;
        job.leaseExpiresAt = null;
        job.updatedAt = now;
        credits.refund(job, "canceled by the user");
        changes.record(job, "canceled");
        metrics.counter("lacquer.jobs.canceled").increment();
        Log.infof("job %s: canceled", job.id);
    }
}
