package dev.lacquer.api.job.repository;

import dev.lacquer.model.DesignSettings;
import dev.lacquer.model.event.GenerationCompleted;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One generation job: a user's "Visualize" tap, from acceptance to its designs. */
@Entity
@Table(name = "generation_jobs")
public class GenerationJob extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "user_id", nullable = false)
    public String userId;

    @Column(nullable = false)
    public JobStatus status;

    @Column(nullable = false)
    public String prompt;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "design_settings", nullable = false)
    public DesignSettings designSettings;

    @Column(name = "image_count", nullable = false)
    public int imageCount;

    /** Credits this job costs when generation starts. */
    @Column(nullable = false)
    public int cost;

    @Column(name = "original_image_key", nullable = false)
    public String originalImageKey;

    @Column(name = "original_content_type", nullable = false)
    public String originalContentType;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "result_image_keys")
    public List<String> resultImageKeys;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "thumbnail_keys")
    public List<String> thumbnailKeys;

    public String model;

    @Column(name = "prompt_template_version")
    public String promptTemplateVersion;

    @Column(name = "provider_request_id")
    public String providerRequestId;

    @JdbcTypeCode(SqlTypes.JSON)
    public GenerationCompleted.Usage usage;

    /** 0–100 while processing. */
    public int progress;

    /** 1 for the first request; + 1 each time the job is requested again. */
    public int attempt;

    @Column(name = "error_code")
    public String errorCode;

    @Column(name = "error_message")
    public String errorMessage;

    /** True once one look per image is in the user's collection. */
    @Column(name = "auto_saved", nullable = false)
    public boolean autoSaved;

    /** When the user's app acknowledged the finished job; unseen finished jobs are announced on return. */
    @Column(name = "seen_at")
    public Instant seenAt;

    @Column(name = "charged_at")
    public Instant chargedAt;

    @Column(name = "cancel_requested_at")
    public Instant cancelRequestedAt;

    /** A processing job whose lease ran out is requested again (or failed after the last attempt). */
    @Column(name = "lease_expires_at")
    public Instant leaseExpiresAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "completed_at")
    public Instant completedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public int designCount() {
        return resultImageKeys == null ? imageCount : resultImageKeys.size();
    }
}
