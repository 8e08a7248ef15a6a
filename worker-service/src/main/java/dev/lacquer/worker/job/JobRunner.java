package dev.lacquer.worker.job;

import dev.lacquer.model.event.GenerationCancelRequested;
import dev.lacquer.model.event.GenerationRequested;
import dev.lacquer.worker.config.WorkerConfig;
import dev.lacquer.worker.metrics.WorkerMetrics;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.MDC;

/**
 * Runs jobs concurrently, each on its own virtual thread, at most {@code lacquer.worker.max-concurrent-jobs} at once.
 * A job's request is acknowledged (and so, in offset order, committed) only after its outcome event was
 * acknowledged by the broker; a job abandoned because the worker stops is never acknowledged and is delivered
 * again to the next worker.
 */
@ApplicationScoped
public class JobRunner {

    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final JobProcessor processor;
    private final WorkerMetrics metrics;
    private final JobSlots slots;
    private final ConcurrentMap<UUID, RunningJob> running = new ConcurrentHashMap<>();
    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("lacquer-job-", 0).factory());
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("lacquer-heartbeat").daemon().factory());
    private volatile boolean stopping;

    JobRunner(JobProcessor processor, WorkerMetrics metrics, WorkerConfig config) {
        this.processor = processor;
        this.metrics = metrics;
        this.slots = new JobSlots(config.maxConcurrentJobs());
    }

    /**
     * Takes a request in. The answer completes as soon as the job has a slot and has started, not when it ends:
     * the caller (the Kafka intake) moves on to the next record then, and waits while every slot is taken.
     */
    public CompletionStage<Void> admit(GenerationRequested request, Message<?> message) {
        return slots.acquire().thenRun(() -> start(request, message));
    }

    /** Cancels the job if it is in flight here; a job not here (finished, or on another worker) is left alone. */
    public boolean cancel(GenerationCancelRequested cancel) {
        RunningJob job = running.get(cancel.jobId());
        if (job == null) {
            Log.infof("job %s: cancel requested, but it is not in flight here", cancel.jobId());
            return false;
        }
        boolean canceled = job.cancel();
        Log.infof("job %s: cancel requested%s", cancel.jobId(), canceled ? "" : ", but it is already finishing");
        return canceled;
    }

    public int inFlight() {
        return running.size();
    }

    private void start(GenerationRequested request, Message<?> message) {
        if (stopping) {
            slots.release();
            return;
        }
        RunningJob job = running.compute(request.jobId(), (id, previous) -> new RunningJob(request, previous));
        if (job.previous() != null) {
            Log.infof("job %s: delivered again while still in flight here; it runs after the earlier run",
                    request.jobId());
        }
        threads.execute(() -> run(job, message));
    }

    private void run(RunningJob job, Message<?> message) {
        UUID jobId = job.request().jobId();
        MDC.put("jobId", jobId.toString());
        metrics.jobEntered();
        job.attach(Thread.currentThread());
        try {
            if (job.previous() != null) {
                job.previous().done().get();
            }
            if (processor.process(job, heartbeats)) {
                message.ack();
            }
        } catch (InterruptedException e) {
            // Stopped (or canceled) while waiting for the earlier run of the same job.
            if (processor.interrupted(job)) {
                message.ack();
            }
        } catch (ExecutionException | RuntimeException e) {
            Log.errorf(e, "job %s: processing broke down; the request stays unacknowledged", jobId);
        } finally {
            running.remove(jobId, job);
            job.done().complete(null);
            metrics.jobLeft();
            slots.release();
            MDC.remove("jobId");
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        List<RunningJob> jobs = List.copyOf(running.values());
        if (!jobs.isEmpty()) {
            Log.infof("stopping: abandoning %d jobs in flight; their requests will be delivered again", jobs.size());
        }
        jobs.forEach(RunningJob::stop);
        try {
            CompletableFuture.allOf(jobs.stream().map(RunningJob::done).toArray(CompletableFuture[]::new))
                    .get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            Log.warnf("stopping: jobs still running after %d s", STOP_GRACE.toSeconds());
        }
        heartbeats.shutdownNow();
        threads.shutdownNow();
    }
}
