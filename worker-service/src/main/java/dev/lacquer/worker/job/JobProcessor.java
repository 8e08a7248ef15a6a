package dev.lacquer.worker.job;

import dev.lacquer.model.ErrorCode;
import dev.lacquer.model.ObjectKeys;
import dev.lacquer.model.event.GenerationCanceled;
import dev.lacquer.model.event.GenerationCompleted;
import dev.lacquer.model.event.GenerationFailed;
import dev.lacquer.model.event.GenerationProgress;
import dev.lacquer.model.event.GenerationRequested;
import dev.lacquer.model.event.GenerationStarted;
import dev.lacquer.worker.config.WorkerConfig;
import dev.lacquer.worker.config.WorkerIdentity;
import dev.lacquer.worker.generation.DesignGenerator;
import dev.lacquer.worker.generation.DesignRequest;
import dev.lacquer.worker.generation.GeneratedDesigns;
import dev.lacquer.worker.generation.GeneratedDesigns.GeneratedImage;
import dev.lacquer.worker.generation.GenerationException;
import dev.lacquer.worker.generation.Generators;
import dev.lacquer.worker.imaging.Images;
import dev.lacquer.worker.imaging.UnreadableImageException;
import dev.lacquer.worker.messaging.EventPublisher;
import dev.lacquer.worker.metrics.WorkerMetrics;
import dev.lacquer.worker.storage.Manifest;
import dev.lacquer.worker.storage.MissingObjectException;
import dev.lacquer.worker.storage.ResultStore;
import dev.lacquer.worker.storage.StorageUnavailableException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Takes one {@link GenerationRequested} to its outcome and reports it: started (sent while the manifest is looked
 * up), then answered from storage when the results are already stored, else photo → generator → images and
 * thumbnails → manifest (last) → completed; any failure becomes {@link GenerationFailed} with a stable code, a
 * cancel becomes {@link GenerationCanceled}.
 */
@ApplicationScoped
class JobProcessor {

    static final int THUMBNAIL_SIZE = 256;

    private final ResultStore store;
    private final EventPublisher events;
    private final DesignGenerator generator;
    private final WorkerMetrics metrics;
    private final WorkerConfig config;
    private final String workerId;

    JobProcessor(ResultStore store, EventPublisher events, Generators generators, WorkerMetrics metrics,
                 WorkerConfig config, WorkerIdentity identity) {
        this.store = store;
        this.events = events;
        this.generator = generators.selected();
        this.metrics = metrics;
        this.config = config;
        this.workerId = identity.id();
    }

    /**
     * Runs the job on the calling thread.
     *
     * @return true when an outcome event (completed, failed or canceled) was acknowledged by the broker, so the
     *         request may be committed; false when the worker is stopping and the request must be delivered again
     */
    boolean process(RunningJob job, ScheduledExecutorService scheduler) {
        GenerationRequested request = job.request();
        Heartbeat heartbeat = new Heartbeat(job, scheduler);
        try {
            validate(request);
            // The start is reported while the manifest is looked up, so the app hears of it without waiting for the
            // store; a redelivered finished job thus reports a start too, which the API charges at most once.
            EventPublisher.Publishing started = events.begin(
                    GenerationStarted.of(request.jobId(), request.userId(), request.attempt(), workerId));
            Optional<Manifest> stored = store.findManifest(request.userId(), request.jobId());
            started.awaitAcknowledged();
            if (stored.isPresent()) {
                return answerFromStorage(job, stored.get());
            }
            metrics.jobStarted();
            Log.infof("job %s: started (attempt %d, %d images, generator %s)", request.jobId(), request.attempt(),
                    request.imageCount(), generator.name());
            heartbeat.start();

            byte[] photo = store.readOriginal(request.jobId(), request.originalImageKey());
            long startedAt = System.nanoTime();
            metrics.generatorCalled(generator.name());
            GeneratedDesigns designs = generator.generate(new DesignRequest(request.jobId(), request.prompt(),
                    request.designSettings(), new DesignRequest.Photo(photo, request.originalImageContentType()),
                    request.imageCount(), request.modelOptions(), heartbeat::imageGenerated));
            Duration took = Duration.ofNanos(System.nanoTime() - startedAt);
            metrics.generated(generator.name(), took);
            if (designs.images().size() != request.imageCount()) {
                throw new IllegalStateException("generator " + generator.name() + " returned "
                        + designs.images().size() + " images for " + request.imageCount());
            }

            List<String> resultKeys = new ArrayList<>();
            List<String> thumbnailKeys = new ArrayList<>();
            for (int index = 0; index < designs.images().size(); index++) {
                GeneratedImage image = designs.images().get(index);
                byte[] thumbnail = thumbnail(image);
                String resultKey = ObjectKeys.result(request.userId(), request.jobId(), index);
                String thumbnailKey = ObjectKeys.thumbnail(request.userId(), request.jobId(), index);
                store.putPng(request.jobId(), resultKey, image.png());
                store.putPng(request.jobId(), thumbnailKey, thumbnail);
                resultKeys.add(resultKey);
                thumbnailKeys.add(thumbnailKey);
            }
            if (!job.beginFinishing()) {
                return interrupted(job, heartbeat);
            }
            heartbeat.stop();
            Manifest manifest = new Manifest(Manifest.VERSION, request.jobId(), request.userId(), request.attempt(),
                    resultKeys, thumbnailKeys, designs.model(), designs.promptTemplateVersion(), took.toMillis(),
                    designs.usage(), designs.providerRequestId(), workerId, Instant.now());
            store.putManifest(manifest);
            events.publish(completed(request, manifest, false));
            metrics.jobCompleted(false);
            Log.infof("job %s: completed, %d images in %d ms", request.jobId(), resultKeys.size(), took.toMillis());
            return true;
        } catch (InterruptedException e) {
            return interrupted(job, heartbeat);
        } catch (GenerationException e) {
            return failed(job, heartbeat, e.code(), e.retryable(), e.getMessage(), e);
        } catch (MissingObjectException e) {
            return failed(job, heartbeat, ErrorCode.INVALID_INPUT, false, e.getMessage(), e);
        } catch (StorageUnavailableException e) {
            return failed(job, heartbeat, ErrorCode.STORAGE_UNAVAILABLE, true, e.getMessage(), e);
        } catch (RuntimeException e) {
            return failed(job, heartbeat, ErrorCode.INTERNAL, true, "unexpected " + e.getClass().getSimpleName(), e);
        } finally {
            heartbeat.stop();
        }
    }

    private void validate(GenerationRequested request) {
        if (request.imageCount() < 1 || request.imageCount() > config.maxImageCount()) {
            throw GenerationException.invalidInput("imageCount " + request.imageCount() + " is outside 1.."
                    + config.maxImageCount());
        }
        String key = request.originalImageKey();
        // Only the owner's originals: a request can never make the worker read another user's photo.
        if (key == null || !key.startsWith(ObjectKeys.original(request.userId(), request.jobId()))) {
            throw GenerationException.invalidInput("originalImageKey is not this job's original");
        }
    }

    private boolean answerFromStorage(RunningJob job, Manifest manifest) throws InterruptedException {
        GenerationRequested request = job.request();
        if (!job.beginFinishing()) {
            return interrupted(job, null);
        }
        events.publish(completed(request, manifest, true));
        metrics.jobCompleted(true);
        Log.infof("job %s: results already stored, answered from storage without generating", request.jobId());
        return true;
    }

    private static GenerationCompleted completed(GenerationRequested request, Manifest manifest, boolean fromStorage) {
        return new GenerationCompleted(UUID.randomUUID(), GenerationCompleted.TYPE, request.jobId(), request.userId(),
                request.attempt(), Instant.now(), manifest.resultImageKeys(), manifest.thumbnailKeys(), manifest.model(),
                manifest.promptTemplateVersion(), manifest.generationMillis(), manifest.usage(),
                manifest.providerRequestId(), fromStorage);
    }

    private static byte[] thumbnail(GeneratedImage image) {
        try {
            return Images.pngThumbnail(image.png(), THUMBNAIL_SIZE);
        } catch (UnreadableImageException e) {
            throw new IllegalStateException("the generator returned an image that is not a PNG");
        }
    }

    private boolean failed(RunningJob job, Heartbeat heartbeat, ErrorCode code, boolean retryable, String detail,
                           Exception cause) {
        if (job.canceled() || job.stopped()) {
            return interrupted(job, heartbeat);
        }
        GenerationRequested request = job.request();
        if (!job.beginFinishing()) {
            return interrupted(job, heartbeat);
        }
        heartbeat.stop();
        if (code == ErrorCode.INTERNAL) {
            Log.errorf(cause, "job %s: failed unexpectedly", request.jobId());
        } else {
            Log.warnf("job %s: failed with %s (retryable %s): %s", request.jobId(), code, retryable, detail);
        }
        try {
            events.publish(GenerationFailed.of(request.jobId(), request.userId(), request.attempt(), code, retryable,
                    detail));
            metrics.jobFailed(code);
            return true;
        } catch (InterruptedException e) {
            Log.infof("job %s: stopping before the failure was reported; it will be delivered again", request.jobId());
            return false;
        }
    }

    /** The job's thread was interrupted before it began: report the cancel, or nothing when stopping. */
    boolean interrupted(RunningJob job) {
        return interrupted(job, null);
    }

    /** The thread was interrupted (or a cancel won the race): report the cancel, or nothing when stopping. */
    private boolean interrupted(RunningJob job, Heartbeat heartbeat) {
        if (heartbeat != null) {
            heartbeat.stop();
        }
        GenerationRequested request = job.request();
        if (!job.canceled()) {
            Log.infof("job %s: abandoned because the worker is stopping; it will be delivered again", request.jobId());
            return false;
        }
        Thread.interrupted();
        try {
            events.publish(GenerationCanceled.of(request.jobId(), request.userId(), request.attempt()));
            metrics.jobCanceled();
            Log.infof("job %s: canceled", request.jobId());
            return true;
        } catch (InterruptedException e) {
            Log.infof("job %s: stopping before the cancel was reported; it will be delivered again", request.jobId());
            return false;
        }
    }

    /**
     * Progress reports of one job: every heartbeat interval and after each image but the last (its outcome follows).
     * Sent in order under one lock and never after {@link #stop()}, so no progress can follow the outcome on the
     * topic.
     */
    private final class Heartbeat {
        private final RunningJob job;
        private final ScheduledExecutorService scheduler;
        private ScheduledFuture<?> timer;
        private boolean running;
        private int imagesDone;

        Heartbeat(RunningJob job, ScheduledExecutorService scheduler) {
            this.job = job;
            this.scheduler = scheduler;
        }

        synchronized void start() {
            running = true;
            long every = Math.max(100, config.heartbeatInterval().toMillis());
            timer = scheduler.scheduleAtFixedRate(this::beat, every, every, TimeUnit.MILLISECONDS);
        }

        /** Reports the images done so far; not the last one: the job's outcome follows it and reports it. */
        synchronized void imageGenerated(int done) {
            imagesDone = done;
            if (done < job.request().imageCount()) {
                send();
            }
        }

        private synchronized void beat() {
            send();
        }

        private void send() {
            if (!running) {
                return;
            }
            GenerationRequested request = job.request();
            int count = request.imageCount();
            GenerationProgress progress = GenerationProgress.of(request.jobId(), request.userId(), request.attempt(),
                    imagesDone, count, imagesDone * 100 / count);
            events.send(progress).whenComplete((ok, failure) -> {
                if (failure != null) {
                    Log.warnf("job %s: progress not acknowledged: %s", request.jobId(), failure.getMessage());
                }
            });
        }

        synchronized void stop() {
            running = false;
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }
    }
}
