package dev.lacquer.worker.imaging;

/** The bytes are not a picture this service can read. */
public class UnreadableImageException extends RuntimeException {
    public UnreadableImageException(String message) {
        super(message);
    }
}
