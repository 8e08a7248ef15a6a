package dev.lacquer.api.job.repository;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** pending → processing → completed | failed | canceled; pending → canceled (and failed, on expiry). */
public enum JobStatus {
    PENDING, PROCESSING, COMPLETED, FAILED, CANCELED;

    /**
     * The active statuses as an SQL list of literals, for {@code status in ...}: literals, not bind parameters, so
     * generic plans too can use the partial indexes on active jobs.
     */
    public static final String ACTIVE_SQL = "('pending', 'processing')";

    /** The lower-case form the clients read and the database stores. */
    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELED;
    }

    public boolean isActive() {
        return this == PENDING || this == PROCESSING;
    }
}
