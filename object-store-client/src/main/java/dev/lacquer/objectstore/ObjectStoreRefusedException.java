package dev.lacquer.objectstore;

/**
 * The store answered and refused the request (403 signature or access denied, 404 no such bucket, 400, 501...):
 * asking again the same way will not help.
 */
public final class ObjectStoreRefusedException extends ObjectStoreException {

    public ObjectStoreRefusedException(String message, int status, String errorCode) {
        super(message, status, errorCode, null);
    }
}
