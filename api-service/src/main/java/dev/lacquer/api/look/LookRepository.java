package dev.lacquer.api.look;

import dev.lacquer.api.db.Sql;
import dev.lacquer.api.job.repository.GenerationJob;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class LookRepository implements PanacheRepositoryBase<Look, UUID> {

    private final Sql sql;

    LookRepository(Sql sql) {
        this.sql = sql;
    }

    /**
     * Makes sure the job has one look per result image and returns their ids in image order.
     * Safe to run any number of times, concurrently too: the (job, image) unique constraint
     * makes a second insert a no-op.
     */
    public List<UUID> saveLooksOf(GenerationJob job) {
        insertLooksOf(job);
        return ofJob(job.id).stream().map(look -> look.id).toList();
    }

    /** {@link #saveLooksOf} without reading the ids back: one statement for all the job's images. */
    public void insertLooksOf(GenerationJob job) {
        int images = job.resultImageKeys.size();
        if (images == 0) {
            return;
        }
        Instant now = Instant.now();
        String settings = DesignSettingsJson.write(job.designSettings);
        Object[] parameters = new Object[images * COLUMNS];
        int p = 0;
        for (int i = 0; i < images; i++) {
            String thumbnail = job.thumbnailKeys != null && i < job.thumbnailKeys.size() ? job.thumbnailKeys.get(i) : null;
            parameters[p++] = UUID.randomUUID();
            parameters[p++] = job.userId;
            parameters[p++] = job.id;
            parameters[p++] = i;
            parameters[p++] = job.resultImageKeys.get(i);
            parameters[p++] = thumbnail;
            parameters[p++] = job.prompt;
            parameters[p++] = settings;
            parameters[p++] = job.originalImageKey;
            parameters[p++] = job.model;
            parameters[p++] = job.promptTemplateVersion;
            parameters[p++] = now;
        }
        sql.update(insertSql(images), parameters);
    }

    /** The insert of {@code images} looks, one values row each (the statement text is cached per count). */
    private static String insertSql(int images) {
        return INSERT_SQL.computeIfAbsent(images, count -> {
            StringBuilder sql = new StringBuilder("""
                    insert into looks (id, user_id, job_id, image_index, image_key, thumbnail_key, prompt,
                                       design_settings, original_image_key, model, prompt_template_version, created_at)
                    values\s""");
            for (int i = 0; i < count; i++) {
                sql.append(i == 0 ? "" : ", ").append('(');
                for (int c = 1; c <= COLUMNS; c++) {
                    sql.append(c == 1 ? "" : ", ").append(c == DESIGN_SETTINGS_COLUMN ? "cast(? as jsonb)" : "?");
                }
                sql.append(')');
            }
            return sql.append(" on conflict (job_id, image_index) do nothing").toString();
        });
    }

    private static final int COLUMNS = 12;
    private static final int DESIGN_SETTINGS_COLUMN = 8;
    private static final java.util.Map<Integer, String> INSERT_SQL = new java.util.concurrent.ConcurrentHashMap<>();

    public List<Look> ofJob(UUID jobId) {
        return list("jobId", Sort.by("imageIndex"), jobId);
    }

    public List<Look> collectionOf(String userId, int page, int size) {
        return find("userId", Sort.by("createdAt").descending().and("imageIndex").and("id"), userId)
                .page(Page.of(page, size)).list();
    }

    public long countOf(String userId) {
        return count("userId", userId);
    }
}
