package dev.lacquer.model;

import java.util.UUID;

/**
 * Object-store key layout, one place for both services. Every key of a job lives under the
 * owner's id, so a listing or URL for one user never reaches another user's objects.
 */
public final class ObjectKeys {

    private ObjectKeys() {
    }

    public static String original(String userId, UUID jobId) {
        return "originals/" + userId + "/" + jobId;
    }

    public static String result(String userId, UUID jobId, int index) {
        return resultsPrefix(userId, jobId) + index + ".png";
    }

    public static String thumbnail(String userId, UUID jobId, int index) {
        return resultsPrefix(userId, jobId) + "thumb-" + index + ".png";
    }

    /** Written after the last image of a job: its presence means every result is stored. */
    public static String manifest(String userId, UUID jobId) {
        return resultsPrefix(userId, jobId) + "manifest.json";
    }

    public static String resultsPrefix(String userId, UUID jobId) {
        return "results/" + userId + "/" + jobId + "/";
    }
}
