package dev.lacquer.objectstore;

/**
 * The store could not answer now: no connection, a timeout, a 5xx, 408 or 429. Asking again later may succeed.
 */
public final class ObjectStoreUnavailableException extends ObjectStoreException {

    public ObjectStoreUnavailableException(String message, int status, String errorCode, Throwable cause) {
        super(message, status, errorCode, cause);
    }
}
