package dev.lacquer.worker.storage;

/** The object store kept failing past the retry budget, or refused the request outright. */
public class StorageUnavailableException extends RuntimeException {
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
