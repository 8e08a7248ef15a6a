package dev.lacquer.worker.generation;

/** Told by a generator how far it got, so the job can report progress while it waits. */
@FunctionalInterface
public interface GenerationListener {

    GenerationListener NONE = imagesDone -> {
    };

    /** Called on the generating thread after image number {@code imagesDone} (1-based count) is ready. */
    void imageGenerated(int imagesDone);
}
