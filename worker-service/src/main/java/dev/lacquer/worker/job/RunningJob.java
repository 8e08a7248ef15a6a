package dev.lacquer.worker.job;

import dev.lacquer.model.event.GenerationRequested;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One request being processed in this worker. Its state decides the race between finishing and canceling: a
 * cancel wins only while the job is {@link State#RUNNING}; once the job moved to {@link State#FINISHING} (results
 * stored or a failure decided) the cancel is too late and the job reports its outcome.
 */
final class RunningJob {

    enum State {RUNNING, CANCELED, FINISHING, STOPPED}

    private final GenerationRequested request;
    private final RunningJob previous;
    private final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private Thread thread;

    RunningJob(GenerationRequested request, RunningJob previous) {
        this.request = request;
        this.previous = previous;
    }

    GenerationRequested request() {
        return request;
    }

    /** A run of the same job that was still in flight when this one arrived: this one waits for it. */
    RunningJob previous() {
        return previous;
    }

    CompletableFuture<Void> done() {
        return done;
    }

    synchronized void attach(Thread thread) {
        this.thread = thread;
        if (state.get() == State.CANCELED || state.get() == State.STOPPED) {
            thread.interrupt();
        }
    }

    /** @return true when this call canceled the job (it was running) */
    boolean cancel() {
        boolean canceled = state.compareAndSet(State.RUNNING, State.CANCELED);
        if (canceled) {
            interrupt();
        }
        if (previous != null) {
            canceled |= previous.cancel();
        }
        return canceled;
    }

    /** The worker is stopping: abandon the job without reporting anything; the request will be delivered again. */
    void stop() {
        State was = state.getAndSet(State.STOPPED);
        if (was != State.STOPPED) {
            interrupt();
        }
    }

    /** Moves to (or stays in) {@link State#FINISHING}. @return false when the job was canceled or stopped first */
    boolean beginFinishing() {
        return state.compareAndSet(State.RUNNING, State.FINISHING) || state.get() == State.FINISHING;
    }

    boolean canceled() {
        return state.get() == State.CANCELED;
    }

    boolean stopped() {
        return state.get() == State.STOPPED;
    }

    private synchronized void interrupt() {
        if (thread != null) {
            thread.interrupt();
        }
    }
}
