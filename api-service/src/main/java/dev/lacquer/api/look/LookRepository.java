package dev.lacquer.api.look;

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

    /**
     * Makes sure the job has one look per result image and returns their ids in image order.
     * Safe to run any number of times, concurrently too: the (job, image) unique constraint
     * makes a second insert a no-op.
     */
    public List<UUID> saveLooksOf(GenerationJob job) {
        Instant now = Instant.now();
        for (int i = 0; i < job.resultImageKeys.size(); i++) {
            String thumbnail = job.thumbnailKeys != null && i < job.thumbnailKeys.size() ? job.thumbnailKeys.get(i) : null;
            getEntityManager().createNativeQuery("""
                    insert into looks (id, user_id, job_id, image_index, image_key, thumbnail_key, prompt,
                                       design_settings, original_image_key, model, prompt_template_version, created_at)
                    values (?1, ?2, ?3, ?4, ?5, ?6, ?7, cast(?8 as jsonb), ?9, ?10, ?11, ?12)
                    on conflict (job_id, image_index) do nothing""")
                    .setParameter(1, UUID.randomUUID())
                    .setParameter(2, job.userId)
                    .setParameter(3, job.id)
                    .setParameter(4, i)
                    .setParameter(5, job.resultImageKeys.get(i))
                    .setParameter(6, thumbnail)
                    .setParameter(7, job.prompt)
                    .setParameter(8, DesignSettingsJson.write(job.designSettings))
                    .setParameter(9, job.originalImageKey)
                    .setParameter(10, job.model)
                    .setParameter(11, job.promptTemplateVersion)
                    .setParameter(12, now)
                    .executeUpdate();
        }
        return ofJob(job.id).stream().map(look -> look.id).toList();
    }

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
