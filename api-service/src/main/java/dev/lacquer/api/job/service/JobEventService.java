package dev.lacquer.api.job.service;

import dev.lacquer.api.config.LacquerConfig;
import dev.lacquer.api.credit.CreditService;
import dev.lacquer.api.job.repository.GenerationJob;
import dev.lacquer.api.job.repository.LockedJobs;
import dev.lacquer.api.job.repository.JobStatus;
import dev.lacquer.api.live.JobChanges;
import dev.lacquer.api.look.LookRepository;
import dev.lacquer.api.messaging.ProcessedEvents;
import dev.lacquer.api.observability.JobIdLogContext;
import dev.lacquer.model.ErrorCode;
import dev.lacquer.model.event.GenerationCancelRequested;
import dev.lacquer.model.event.GenerationCanceled;
import dev.lacquer.model.event.GenerationCompleted;
import dev.lacquer.model.event.GenerationEvent;
import dev.lacquer.model.event.GenerationFailed;
import dev.lacquer.model.event.GenerationProgress;
import dev.lacquer.model.event.GenerationRequested;
import dev.lacquer.model.event.GenerationStarted;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.MDC;

/**
 * Applies the worker's events to jobs. Each event is applied at most once (insert-first dedup)
 * and every state change is conditional on the job's current state, so redelivered, duplicated
 * or late events change nothing they should not.
 */
@ApplicationScoped
public class JobEventService {

    private final LockedJobs lockedJobs;
    private final LookRepository looks;
    private final CreditService credits;
    private final ProcessedEvents processedEvents;
    private final JobRequests requests;
    private final JobTransitions transitions;
    private final JobChanges changes;
    private final LacquerConfig config;
    private final MeterRegistry metrics;
    private volatile Timer queueWait;

    JobEventService(LockedJobs lockedJobs, LookRepository looks, CreditService credits,
                    ProcessedEvents processedEvents, JobRequests requests, JobTransitions transitions,
                    JobChanges changes, LacquerConfig config, MeterRegistry metrics) {
        this.lockedJobs = lockedJobs;
        this.looks = looks;
        this.credits = credits;
        this.processedEvents = processedEvents;
        this.requests = requests;
        this.transitions = transitions;
        this.changes = changes;
        this.config = config;
        this.metrics = metrics;
    }

    /** Applies one event in its own transaction. */
    @Transactional
    public void apply(GenerationEvent event) {
        applyInOrder(List.of(event));
    }

    /**
     * Applies the events in order in ONE transaction: all of them or, when one throws, none (the
     * caller then applies them one by one). Duplicates within the list are caught by the same
     * insert-first dedup, and each event sees the job as the events before it left it.
     */
    @Transactional
    public void applyAll(List<GenerationEvent> events) {
        applyInOrder(events);
    }

    /**
     * Locks what the events need (see {@link #lockInOrder}), records their ids (insert-first dedup, one statement),
     * applies each first sighting to its job in memory, in order, and writes the jobs that changed back at the end.
     * Everything an event writes besides its job (ledger, looks, live changes, outbox) is written as it is applied;
     * none of it reads the job rows, so writing them last changes nothing those statements see.
     */
    private void applyInOrder(List<GenerationEvent> events) {
        LockedJobs.Locked locked = lockInOrder(events);
        Set<UUID> firstSightings = new HashSet<>(processedEvents.firstSightings(events));
        for (GenerationEvent event : events) {
            boolean single = events.size() == 1;
            if (!single) {
                MDC.put(JobIdLogContext.KEY, event.jobId().toString());
            }
            try {
                if (firstSightings.remove(event.eventId())) {
                    applyFirstSighting(locked.get(event.jobId()), event);
                } else {
                    Log.debugf("job %s: duplicate %s %s skipped", event.jobId(), event.type(), event.eventId());
                }
            } finally {
                if (!single) {
                    MDC.remove(JobIdLogContext.KEY);
                }
            }
        }
        lockedJobs.writeChanged(locked);
    }

    /**
     * Takes every lock the events will need, up front and in one order: the jobs by id, then the users' credit
     * accounts and live sequences by user id. Single events, cancels and the sweep lock a job before its user's
     * rows, and creates the account before the sequence, so a batch holding many rows cannot deadlock with them.
     */
    private LockedJobs.Locked lockInOrder(List<GenerationEvent> events) {
        List<UUID> jobIds = events.stream().map(GenerationEvent::jobId).distinct().toList();
        LockedJobs.Locked locked = lockedJobs.lock(jobIds);
        List<String> userIds = events.stream().map(GenerationEvent::userId).distinct().toList();
        credits.lockAccounts(userIds);
        changes.lockSequences(userIds);
        return locked;
    }

    private void applyFirstSighting(GenerationJob job, GenerationEvent event) {
        if (job == null || !job.userId.equals(event.userId())) {
            Log.warnf("job %s: %s for an unknown job (or another owner) ignored", event.jobId(), event.type());
            return;
        }
        Instant now = Instant.now();
        switch (event) {
            case GenerationStarted started -> onStarted(job, started.attempt(), now);
            case GenerationProgress progress -> onProgress(job, progress, now);
            case GenerationCompleted completed -> onCompleted(job, completed, now);
            case GenerationFailed failed -> onFailed(job, failed, now);
            case GenerationCanceled canceled -> onCanceled(job, now);
            case GenerationRequested ignored -> Log.warnf("job %s: a request on the events topic ignored", job.id);
            case GenerationCancelRequested ignored -> Log.warnf("job %s: a cancel on the events topic ignored", job.id);
        }
    }

    private void onStarted(GenerationJob job, int attempt, Instant now) {
        switch (job.status) {
            case PENDING -> {
                job.status = JobStatus.PROCESSING;
                job.startedAt = now;
                job.leaseExpiresAt = now.plus(config.jobs().lease());
                job.updatedAt = now;
                credits.charge(job);
                changes.record(job, "started");
                queueWait().record(Duration.between(job.createdAt, now));
                Log.infof("job %s: started (attempt %d)", job.id, attempt);
            }
            case PROCESSING -> {
                if (attempt >= job.attempt) {
                    job.leaseExpiresAt = now.plus(config.jobs().lease());
                    job.updatedAt = now;
                }
                credits.charge(job);
            }
            // The designs were made: a start that arrives after the completion still charges, once.
            case COMPLETED -> credits.charge(job);
            // A canceled job's request was already taken by a worker: tell it to stop.
            case CANCELED -> requests.requestCancel(job);
            case FAILED -> Log.debugf("job %s: late start of a failed job ignored", job.id);
        }
    }

    /** Registered on first use, as before; looked up once instead of on every start. */
    private Timer queueWait() {
        Timer timer = queueWait;
        if (timer == null) {
            timer = Timer.builder("lacquer.jobs.queue.wait").description("From job creation to generation start")
                    .publishPercentileHistogram().register(metrics);
            queueWait = timer;
        }
        return timer;
    }

    private void onProgress(GenerationJob job, GenerationProgress progress, Instant now) {
        if (job.status == JobStatus.PENDING) {
            onStarted(job, progress.attempt(), now);
        }
        if (job.status == JobStatus.PROCESSING && progress.attempt() >= job.attempt) {
            int percent = Math.max(job.progress, Math.min(99, Math.max(0, progress.percent())));
            if (percent != job.progress) {
                job.progress = percent;
                changes.record(job, "progress");
            }
            job.leaseExpiresAt = now.plus(config.jobs().lease());
            job.updatedAt = now;
        }
    }

    private void onCompleted(GenerationJob job, GenerationCompleted completed, Instant now) {
        if (!job.status.isActive()) {
            Log.infof("job %s: completion ignored, the job is already %s", job.id, job.status.wire());
            return;
        }
        if (job.startedAt == null) {
            job.startedAt = now;
        }
        job.status = JobStatus.COMPLETED;
        job.resultImageKeys = completed.resultImageKeys();
        job.thumbnailKeys = completed.thumbnailKeys();
        job.model = completed.model();
        job.promptTemplateVersion = completed.promptTemplateVersion();
        job.providerRequestId = completed.providerRequestId();
        job.usage = completed.usage();
        job.progress = 100;
        job.completedAt = now;
        job.leaseExpiresAt = null;
        job.errorCode = null;
        job.errorMessage = null;
        job.updatedAt = now;
        credits.charge(job);
        looks.insertLooksOf(job);
        job.autoSaved = true;
        changes.record(job, "completed");
        metrics.counter("lacquer.jobs.completed").increment();
        metrics.timer("lacquer.jobs.generation.duration").record(Duration.ofMillis(completed.generationMillis()));
        Log.infof("job %s: completed with %d designs%s", job.id, job.resultImageKeys.size(),
                completed.fromStorage() ? " (from storage)" : "");
    }

    private void onFailed(GenerationJob job, GenerationFailed failed, Instant now) {
        if (!job.status.isActive() || failed.attempt() < job.attempt) {
            Log.debugf("job %s: stale failure of attempt %d ignored", job.id, failed.attempt());
            return;
        }
        if (failed.retryable() && job.attempt < config.jobs().maxAttempts() && job.cancelRequestedAt == null) {
            Log.infof("job %s: attempt %d failed with %s, requesting attempt %d", job.id, job.attempt,
                    failed.errorCode(), job.attempt + 1);
            metrics.counter("lacquer.jobs.retries", "error_code", String.valueOf(failed.errorCode())).increment();
            requests.requestNextAttempt(job, now);
            return;
        }
        transitions.fail(job, failed.errorCode() == null ? ErrorCode.INTERNAL : failed.errorCode(), failed.userMessage(), now);
    }

    private void onCanceled(GenerationJob job, Instant now) {
        if (job.status.isActive()) {
            transitions.cancel(job, now);
        }
    }
}
