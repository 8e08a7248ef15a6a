package dev.lacquer.api.job.service;

import dev.lacquer.api.config.LacquerConfig;
import dev.lacquer.api.credit.CreditService;
import dev.lacquer.api.credit.CreditSummary;
import dev.lacquer.api.db.Sql;
import dev.lacquer.api.job.repository.GenerationJob;
import dev.lacquer.api.job.repository.GenerationJobRepository;
import dev.lacquer.api.job.repository.JobStatus;
import dev.lacquer.api.live.JobChanges;
import dev.lacquer.api.problem.ApiProblem;
import dev.lacquer.api.ratelimit.RateLimiter;
import dev.lacquer.api.storage.ObjectStore;
import dev.lacquer.model.ObjectKeys;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.narayana.jta.TransactionExceptionResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/**
 * Accepts a job in two short transactions with the photo upload between them, so no database connection or lock is
 * held while the object store answers. Nothing is charged here; the job's cost is reserved against the user's
 * available credits until generation starts.
 */
@ApplicationScoped
public class JobCreationService {

    private static final long ACTIVE_LIMIT_RETRY_AFTER_SECONDS = 30;

    private final GenerationJobRepository jobs;
    private final CreditService credits;
    private final ObjectStore store;
    private final JobRequests requests;
    private final MeterRegistry metrics;
    private final LacquerConfig config;
    private final RateLimiter rateLimiter;
    private final JobChanges changes;
    private final Sql sql;

    JobCreationService(GenerationJobRepository jobs, CreditService credits, ObjectStore store, JobRequests requests,
                       MeterRegistry metrics, LacquerConfig config, RateLimiter rateLimiter, JobChanges changes,
                       Sql sql) {
        this.jobs = jobs;
        this.credits = credits;
        this.store = store;
        this.requests = requests;
        this.metrics = metrics;
        this.config = config;
        this.rateLimiter = rateLimiter;
        this.changes = changes;
        this.sql = sql;
    }

    /**
     * 1. Count the attempt against the rate window and refuse (429 rate, 402 credits, 429 active jobs) before anything
     * is stored; a refusal commits the count (without waiting for the disk: it is only a count). 2. Store the photo,
     * outside any transaction. 3. Under the user's credit lock check again (a parallel create may have reserved the
     * credits meanwhile) and write the job and its outbox row; if that fails, the photo is removed.
     */
    public GenerationJob create(String userId, NewJob newJob) {
        int cost = credits.costOf(newJob.imageCount());
        QuarkusTransaction.requiringNew()
                .exceptionHandler(e -> e instanceof ApiProblem ? TransactionExceptionResult.COMMIT
                        : TransactionExceptionResult.ROLLBACK)
                .run(() -> {
                    sql.commitWithoutWaitingForFlush();
                    rateLimiter.acquire(userId, "create", config.jobs().createsPerMinute());
                    checkLimits(userId, cost, credits.summary(userId));
                });
        UUID jobId = UUID.randomUUID();
        String photoKey = ObjectKeys.original(userId, jobId);
        store.put(photoKey, newJob.photo().bytes(), newJob.photo().contentType());
        try {
            GenerationJob job = QuarkusTransaction.requiringNew().call(() -> {
                checkLimits(userId, cost, credits.lockForSpending(userId));
                return insert(userId, jobId, cost, photoKey, newJob);
            });
            metrics.counter("lacquer.jobs.created").increment();
            Log.infof("job %s: accepted for %d designs", jobId, newJob.imageCount());
            return job;
        } catch (RuntimeException e) {
            store.deleteQuietly(photoKey);
            throw e;
        }
    }

    /** The user's credit and active-job limits for a job costing {@code cost}. */
    private void checkLimits(String userId, int cost, CreditSummary credit) {
        if (credit.available() < cost) {
            throw ApiProblem.insufficientCredits(cost, credit.available());
        }
        if (jobs.activeCountOf(userId) >= config.jobs().maxActivePerUser()) {
            throw ApiProblem.tooManyRequests("You have " + config.jobs().maxActivePerUser()
                    + " generations running; wait for one to finish.", ACTIVE_LIMIT_RETRY_AFTER_SECONDS);
        }
    }

    private GenerationJob insert(String userId, UUID jobId, int cost, String photoKey, NewJob newJob) {
        Instant now = Instant.now();
        GenerationJob job = new GenerationJob();
        job.id = jobId;
        job.userId = userId;
        job.status = JobStatus.PENDING;
        job.prompt = newJob.prompt();
        job.designSettings = newJob.designSettings();
        job.imageCount = newJob.imageCount();
        job.cost = cost;
        job.originalImageKey = photoKey;
        job.originalContentType = newJob.photo().contentType();
        job.attempt = 1;
        job.createdAt = now;
        job.updatedAt = now;
        jobs.insertNew(job);
        requests.requestNew(job);
        changes.record(job, "created");
        return job;
    }
}
