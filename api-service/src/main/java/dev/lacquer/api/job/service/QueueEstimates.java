package dev.lacquer.api.job.service;

import dev.lacquer.api.config.LacquerConfig;
import dev.lacquer.api.job.mapping.QueueSlot;
import dev.lacquer.api.job.repository.JobReads;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * When a pending job may start: its queue position divided by the rate at which jobs started recently (first
 * starts of every user's jobs in the last {@code lacquer.queue-estimate.window}, from
 * {@code generation_jobs.started_at}). With fewer than {@code min-starts} starts in the window (an idle system, or no
 * worker running) each position counts {@code fallback-per-position}. The rate is measured at most once per
 * {@code refresh} per replica, so the read path pays one indexed count every few seconds, not one per request. An
 * estimate, not a promise.
 */
@ApplicationScoped
public class QueueEstimates {

    private record Rate(Duration perPosition, Instant measuredAt) {
    }

    private final JobReads reads;
    private final LacquerConfig.QueueEstimate settings;
    private final Clock clock;
    private final AtomicReference<Rate> rate = new AtomicReference<>();
    private final AtomicBoolean measuring = new AtomicBoolean();

    QueueEstimates(JobReads reads, LacquerConfig config) {
        this.reads = reads;
        this.settings = config.queueEstimate();
        this.clock = Clock.systemUTC();
    }

    /** The slot of a pending job at {@code position} (1 = next), or null when the job is not pending. */
    public QueueSlot slot(Long position) {
        if (position == null) {
            return null;
        }
        Instant now = clock.instant();
        return new QueueSlot(position, now.plus(perPosition(now).multipliedBy(position)));
    }

    private Duration perPosition(Instant now) {
        Rate current = rate.get();
        if (current != null && !current.measuredAt.plus(settings.refresh()).isBefore(now)) {
            return current.perPosition;
        }
        if (current == null) {
            return remember(now); // the first requests after start-up measure; there is nothing older to use
        }
        // One request measures; the others meanwhile keep the last rate.
        if (!measuring.compareAndSet(false, true)) {
            return current.perPosition;
        }
        try {
            return remember(now);
        } finally {
            measuring.set(false);
        }
    }

    private Duration remember(Instant now) {
        Rate measured = new Rate(measure(now), now);
        rate.set(measured);
        return measured.perPosition;
    }

    private Duration measure(Instant now) {
        long started = reads.startedSince(now.minus(settings.window()));
        if (started < settings.minStarts()) {
            return settings.fallbackPerPosition();
        }
        return settings.window().dividedBy(started);
    }
}
