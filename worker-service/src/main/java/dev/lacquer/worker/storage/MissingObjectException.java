package dev.lacquer.worker.storage;

/** An object the job needs (the original photo) is not in the store. */
public class MissingObjectException extends RuntimeException {
    public MissingObjectException(String message) {
        super(message);
    }
}
