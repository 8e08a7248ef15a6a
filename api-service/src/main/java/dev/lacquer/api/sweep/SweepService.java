package dev.lacquer.api.sweep;

import dev.lacquer.api.config.LacquerConfig;
import dev.lacquer.api.idempotency.IdempotencyKeys;
import dev.lacquer.api.job.repository.GenerationJob;
import dev.lacquer.api.job.repository.GenerationJobRepository;
import dev.lacquer.api.job.service.JobRequests;
import dev.lacquer.api.job.service.JobTransitions;
import dev.lacquer.api.live.JobChanges;
import dev.lacquer.api.live.StreamTickets;
import dev.lacquer.api.look.LookRepository;
import dev.lacquer.api.messaging.OutboxRelay;
import dev.lacquer.api.messaging.ProcessedEvents;
import dev.lacquer.api.ratelimit.RateLimiter;
import dev.lacquer.model.ErrorCode;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The safety net that keeps every accepted job moving. Runs on a schedule in every API replica
 * and on demand (the cron endpoint); rows are claimed with {@code SKIP LOCKED}, so replicas
 * split the work instead of repeating it.
 */
@ApplicationScoped
public class SweepService {

    private static final int BATCH = 100;
    /** Longer than the events topic's retention (7 days): no duplicate can be older. */
    private static final Duration PROCESSED_EVENT_RETENTION = Duration.ofDays(8);

    private final GenerationJobRepository jobs;
    private final LookRepository looks;
    private final JobRequests requests;
    private final JobTransitions transitions;
    private final OutboxRelay relay;
    private final LacquerConfig config;
    private final IdempotencyKeys idempotencyKeys;
    private final ProcessedEvents processedEvents;
    private final RateLimiter rateLimiter;
    private final JobChanges jobChanges;
    private final StreamTickets streamTickets;

    SweepService(GenerationJobRepository jobs, LookRepository looks, JobRequests requests, JobTransitions transitions,
                 OutboxRelay relay, LacquerConfig config, IdempotencyKeys idempotencyKeys,
                 ProcessedEvents processedEvents, RateLimiter rateLimiter, JobChanges jobChanges,
                 StreamTickets streamTickets) {
        this.jobs = jobs;
        this.looks = looks;
        this.requests = requests;
        this.transitions = transitions;
        this.relay = relay;
        this.config = config;
        this.idempotencyKeys = idempotencyKeys;
        this.processedEvents = processedEvents;
        this.rateLimiter = rateLimiter;
        this.jobChanges = jobChanges;
        this.streamTickets = streamTickets;
    }

    @Scheduled(every = "${lacquer.sweep.every}", delayed = "${lacquer.sweep.every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            SweepReport report = sweep();
            if (report.requeued() + report.republished() + report.timedOut() + report.expired() + report.autoSaved()
                    + report.canceled() > 0) {
                Log.infof("sweep: %s", report);
            }
        } catch (RuntimeException e) {
            Log.warnf("sweep failed, next run will retry: %s", e.getMessage());
        }
    }

    public SweepReport sweep() {
        int[] leases = QuarkusTransaction.requiringNew().call(this::expireLeases);
        int[] pending = QuarkusTransaction.requiringNew().call(this::restartPending);
        int autoSaved = QuarkusTransaction.requiringNew().call(this::autoSaveCompleted);
        int published = relay.drain();
        idempotencyKeys.purgeExpired();
        processedEvents.purgeOlderThan(PROCESSED_EVENT_RETENTION);
        rateLimiter.purgeOldWindows();
        jobChanges.purgeOld();
        streamTickets.purgeExpired();
        return new SweepReport(published, leases[0], pending[0], leases[1], leases[2], pending[1], autoSaved);
    }

    /** Processing jobs whose worker went quiet: requested again, or failed after the last attempt. */
    private int[] expireLeases() {
        Instant now = Instant.now();
        int requeued = 0;
        int timedOut = 0;
        int canceled = 0;
        for (GenerationJob job : jobs.lockExpiredLeases(now, BATCH)) {
            if (job.cancelRequestedAt != null) {
                transitions.cancel(job, now);
                canceled++;
            } else if (job.attempt < config.jobs().maxAttempts()) {
                Log.infof("job %s: lease of attempt %d ran out, requesting attempt %d", job.id, job.attempt,
                        job.attempt + 1);
                requests.requestNextAttempt(job, now);
                requeued++;
            } else {
                transitions.fail(job, ErrorCode.TIMED_OUT, null, now);
                timedOut++;
            }
        }
        return new int[]{requeued, timedOut, canceled};
    }

    /**
     * Pending jobs: a published request no worker started within the pick-up timeout is sent
     * again (same attempt: nothing was charged, and the worker answers a finished job from
     * storage); a job pending longer than the expiry fails and releases its reservation.
     */
    private int[] restartPending() {
        Instant now = Instant.now();
        int republished = 0;
        int expired = 0;
        for (GenerationJob job : jobs.lockUnstartedPending(now, BATCH)) {
            if (job.createdAt.plus(config.jobs().pendingExpiry()).isBefore(now)) {
                transitions.fail(job, ErrorCode.EXPIRED, null, now);
                expired++;
            } else {
                job.leaseExpiresAt = now.plus(config.jobs().pickupTimeout());
                job.updatedAt = now;
                requests.request(job);
                republished++;
            }
        }
        return new int[]{republished, expired};
    }

    private int autoSaveCompleted() {
        List<GenerationJob> unsaved = jobs.lockCompletedUnsaved(BATCH);
        for (GenerationJob job : unsaved) {
            looks.saveLooksOf(job);
            job.autoSaved = true;
        }
        return unsaved.size();
    }
}
