package dev.lacquer.api.admin;

import dev.lacquer.api.job.mapping.JobView;
import dev.lacquer.api.job.mapping.JobViews;
import dev.lacquer.api.job.repository.GenerationJob;
import dev.lacquer.api.job.repository.GenerationJobRepository;
import dev.lacquer.api.job.repository.JobStatus;
import dev.lacquer.api.job.service.JobRequests;
import dev.lacquer.api.paging.PageRequest;
import dev.lacquer.api.paging.Paged;
import dev.lacquer.api.problem.ApiProblem;
import io.quarkus.logging.Log;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

@ApplicationScoped
public class AdminJobsService {

    private static final int LIMIT = 100;

    private final GenerationJobRepository jobs;
    private final JobViews views;
    private final JobRequests requests;

    AdminJobsService(GenerationJobRepository jobs, JobViews views, JobRequests requests) {
        this.jobs = jobs;
        this.views = views;
        this.requests = requests;
    }

    /** A job with its owner, for operators. */
    public record AdminJob(String userId, JobView job) {
    }

    /** Failed jobs counted by error code, and the most recent ones. */
    public record Failures(Map<String, Long> countsByErrorCode, List<AdminJob> recent) {
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<AdminJob> active() {
        return adminViews(jobs.find("status in ?1", Sort.by("createdAt"),
                List.of(JobStatus.PENDING, JobStatus.PROCESSING)).page(Page.ofSize(LIMIT)).list());
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<AdminJob> unsaved() {
        return adminViews(jobs.find("status = ?1 and autoSaved = false", Sort.by("completedAt"), JobStatus.COMPLETED)
                .page(Page.ofSize(LIMIT)).list());
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Failures failures() {
        List<Object[]> rows = jobs.getEntityManager().createQuery(
                        "select j.errorCode, count(j) from GenerationJob j where j.status = ?1 group by j.errorCode",
                        Object[].class)
                .setParameter(1, JobStatus.FAILED).getResultList();
        Map<String, Long> counts = rows.stream().collect(Collectors.toMap(
                row -> String.valueOf(row[0]), row -> ((Number) row[1]).longValue()));
        List<GenerationJob> recent = jobs.find("status", Sort.by("completedAt").descending(), JobStatus.FAILED)
                .page(Page.ofSize(LIMIT)).list();
        return new Failures(counts, adminViews(recent));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Paged<JobView> history(String userId, PageRequest page) {
        List<JobView> items = jobs.historyOf(userId, page.page(), page.size()).stream().map(views::of).toList();
        return new Paged<>(items, page.page(), page.size(), jobs.countOf(userId));
    }

    @Transactional
    public JobView requeue(String rawJobId) {
        UUID jobId;
        try {
            jobId = UUID.fromString(rawJobId);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.notFound("Job " + rawJobId);
        }
        GenerationJob job = jobs.findForUpdate(jobId).orElseThrow(() -> ApiProblem.notFound("Job " + rawJobId));
        if (job.status != JobStatus.FAILED) {
            throw ApiProblem.conflict("Only a failed job can be requeued; this one is " + job.status.wire() + ".");
        }
        Instant now = Instant.now();
        job.status = job.chargedAt == null ? JobStatus.PENDING : JobStatus.PROCESSING;
        job.errorCode = null;
        job.errorMessage = null;
        job.completedAt = null;
        job.seenAt = null;
        requests.requestNextAttempt(job, now);
        Log.infof("job %s: requeued by an operator as attempt %d", job.id, job.attempt);
        return views.of(job);
    }

    private List<AdminJob> adminViews(List<GenerationJob> list) {
        return list.stream().map(job -> new AdminJob(job.userId, views.of(job))).toList();
    }
}
