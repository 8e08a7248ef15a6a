package dev.lacquer.objectstore;

import java.util.Optional;

/**
 * A call the object store did not carry out. {@link #status()} is the HTTP status (0 when no answer came) and
 * {@link #errorCode()} the S3 error {@code Code} of the answer's XML body, when it had one.
 */
public abstract sealed class ObjectStoreException extends RuntimeException
        permits ObjectStoreUnavailableException, ObjectStoreRefusedException {

    private final int status;
    private final String errorCode;

    ObjectStoreException(String message, int status, String errorCode, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    public int status() {
        return status;
    }

    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }
}
