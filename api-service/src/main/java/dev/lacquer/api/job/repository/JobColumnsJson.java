package dev.lacquer.api.job.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The JSON text of generation_jobs' jsonb columns when written in plain SQL: a default ObjectMapper, as Hibernate's
 * own format mapper writes them for the entity ({@code quarkus.hibernate-orm.mapping.format.global=ignore}), so a row
 * reads the same whichever path wrote it.
 */
final class JobColumnsJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JobColumnsJson() {
    }

    /** The value as JSON text, or null (SQL NULL) for null. */
    static String write(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
