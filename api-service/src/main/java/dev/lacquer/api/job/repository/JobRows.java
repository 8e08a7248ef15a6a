package dev.lacquer.api.job.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lacquer.model.DesignSettings;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * generation_jobs rows in plain SQL, beside the JPA entity: the one place that knows the columns the plain-SQL paths
 * read ({@link JobReads}, {@link LockedJobs}) and how their jsonb columns are written (a default ObjectMapper, as
 * Hibernate's own format mapper writes them for the entity, {@code quarkus.hibernate-orm.mapping.format.global=ignore},
 * so a row reads the same whichever path wrote it). A column added to {@link GenerationJob} is added here once.
 */
final class JobRows {

    /** Every column but {@code usage} (written on completion, never read back by the plain-SQL paths). */
    static final String COLUMNS = """
            id, user_id, status, prompt, design_settings, image_count, cost, original_image_key, original_content_type,
            result_image_keys, thumbnail_keys, model, prompt_template_version, provider_request_id, progress, attempt,
            error_code, error_message, auto_saved, seen_at, charged_at, cancel_requested_at, lease_expires_at,
            created_at, started_at, completed_at, updated_at""";

    private static final ObjectMapper WRITER = new ObjectMapper();

    /** Tolerates fields a later version wrote and this one does not know. */
    private static final ObjectMapper READER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static final TypeReference<List<String>> KEYS = new TypeReference<>() {
    };

    private JobRows() {
    }

    /** The job in the current row of a result set selecting {@link #COLUMNS}, detached from any persistence context. */
    static GenerationJob read(ResultSet rs) throws SQLException {
        GenerationJob job = new GenerationJob();
        job.id = rs.getObject("id", UUID.class);
        job.userId = rs.getString("user_id");
        job.status = JobStatus.valueOf(rs.getString("status").toUpperCase(Locale.ROOT));
        job.prompt = rs.getString("prompt");
        job.designSettings = json(rs.getString("design_settings"), new TypeReference<DesignSettings>() {
        });
        job.imageCount = rs.getInt("image_count");
        job.cost = rs.getInt("cost");
        job.originalImageKey = rs.getString("original_image_key");
        job.originalContentType = rs.getString("original_content_type");
        job.resultImageKeys = json(rs.getString("result_image_keys"), KEYS);
        job.thumbnailKeys = json(rs.getString("thumbnail_keys"), KEYS);
        job.model = rs.getString("model");
        job.promptTemplateVersion = rs.getString("prompt_template_version");
        job.providerRequestId = rs.getString("provider_request_id");
        job.progress = rs.getInt("progress");
        job.attempt = rs.getInt("attempt");
        job.errorCode = rs.getString("error_code");
        job.errorMessage = rs.getString("error_message");
        job.autoSaved = rs.getBoolean("auto_saved");
        job.seenAt = instant(rs, "seen_at");
        job.chargedAt = instant(rs, "charged_at");
        job.cancelRequestedAt = instant(rs, "cancel_requested_at");
        job.leaseExpiresAt = instant(rs, "lease_expires_at");
        job.createdAt = instant(rs, "created_at");
        job.startedAt = instant(rs, "started_at");
        job.completedAt = instant(rs, "completed_at");
        job.updatedAt = instant(rs, "updated_at");
        return job;
    }

    /** The value as the JSON text of a jsonb column, or null (SQL NULL) for null. */
    static String json(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return WRITER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T json(String value, TypeReference<T> type) {
        if (value == null) {
            return null;
        }
        try {
            return READER.readValue(value, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable " + type.getType().getTypeName() + " in generation_jobs", e);
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
