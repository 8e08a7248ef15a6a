package dev.lacquer.api.job.service;

import dev.lacquer.api.job.repository.GenerationJob;
import dev.lacquer.api.job.repository.GenerationJobRepository;
import dev.lacquer.api.job.repository.JobStatus;
import dev.lacquer.api.look.LookRepository;
import dev.lacquer.api.problem.ApiProblem;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What a user does to one of their jobs: save its designs, acknowledge it, cancel it. */
@ApplicationScoped
public class JobCommandService {

    private final GenerationJobRepository jobs;
    private final LookRepository looks;
    private final JobRequests requests;
    private final JobTransitions transitions;

    JobCommandService(GenerationJobRepository jobs, LookRepository looks, JobRequests requests,
                      JobTransitions transitions) {
        this.jobs = jobs;
        this.looks = looks;
        this.requests = requests;
        this.transitions = transitions;
    }

    /**
     * Makes sure every design of a completed job is in the collection and marks the job seen.
     * Idempotent: the same look ids come back however often it runs.
     */
    @Transactional
    public List<UUID> autoSave(String userId, UUID jobId) {
        GenerationJob job = owned(userId, jobId);
        if (job.status != JobStatus.COMPLETED) {
            throw ApiProblem.conflict("Only a completed job can be saved; this one is " + job.status.wire() + ".");
        }
        List<UUID> lookIds = looks.saveLooksOf(job);
        job.autoSaved = true;
        markSeen(job);
        return lookIds;
    }

    /** Acknowledges a finished job, so the app stops announcing it. */
    @Transactional
    public GenerationJob acknowledge(String userId, UUID jobId) {
        GenerationJob job = owned(userId, jobId);
        if (!job.status.isTerminal()) {
            throw ApiProblem.conflict("The job is still " + job.status.wire() + ".");
        }
        markSeen(job);
        return job;
    }

    /**
     * A pending job is canceled at once and was never charged. A processing job gets a cancel
     * request to its worker and becomes canceled (and refunded) when the worker confirms, or
     * when its lease runs out.
     */
    @Transactional
    public GenerationJob cancel(String userId, UUID jobId) {
        GenerationJob job = owned(userId, jobId);
        Instant now = Instant.now();
        switch (job.status) {
            case PENDING -> {
                transitions.cancel(job, now);
                markSeen(job);
                requests.requestCancel(job);
            }
            case PROCESSING -> {
                if (job.cancelRequestedAt == null) {
                    job.cancelRequestedAt = now;
                    job.updatedAt = now;
                    requests.requestCancel(job);
                    Log.infof("job %s: cancel requested while processing", job.id);
                }
            }
            case CANCELED -> {
                // already canceled: answering the same state again keeps cancel idempotent
            }
            case COMPLETED, FAILED -> throw ApiProblem.conflict("The job is already " + job.status.wire() + ".");
        }
        return job;
    }

    private GenerationJob owned(String userId, UUID jobId) {
        return jobs.findOwnedForUpdate(jobId, userId).orElseThrow(() -> ApiProblem.notFound("Job " + jobId));
    }

    private static void markSeen(GenerationJob job) {
        if (job.seenAt == null) {
            job.seenAt = Instant.now();
            job.updatedAt = job.seenAt;
        }
    }
}
