package dev.lacquer.api.look;

import dev.lacquer.model.DesignSettings;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A design in the user's collection, with everything needed to remix or edit it. */
@Entity
@Table(name = "looks")
public class Look extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "user_id", nullable = false)
    public String userId;

    @Column(name = "job_id", nullable = false)
    public UUID jobId;

    @Column(name = "image_index", nullable = false)
    public int imageIndex;

    @Column(name = "image_key", nullable = false)
    public String imageKey;

    @Column(name = "thumbnail_key")
    public String thumbnailKey;

    @Column(nullable = false)
    public String prompt;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "design_settings", nullable = false)
    public DesignSettings designSettings;

    @Column(name = "original_image_key", nullable = false)
    public String originalImageKey;

    public String model;

    @Column(name = "prompt_template_version")
    public String promptTemplateVersion;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
