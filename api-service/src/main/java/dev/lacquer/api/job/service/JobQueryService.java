package dev.lacquer.api.job.service;

import dev.lacquer.api.job.mapping.JobView;
import dev.lacquer.api.job.mapping.JobViews;
import dev.lacquer.api.job.mapping.PendingGenerations;
import dev.lacquer.api.job.repository.GenerationJob;
import dev.lacquer.api.job.repository.GenerationJobRepository;
import dev.lacquer.api.job.repository.JobStatus;
import dev.lacquer.api.paging.PageRequest;
import dev.lacquer.api.paging.Paged;
import dev.lacquer.api.problem.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.UUID;

/** Read-only views of a user's jobs. */
@ApplicationScoped
public class JobQueryService {

    private final GenerationJobRepository jobs;
    private final JobViews views;

    JobQueryService(GenerationJobRepository jobs, JobViews views) {
        this.jobs = jobs;
        this.views = views;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public JobView job(String userId, UUID jobId) {
        return jobs.findOwned(jobId, userId).map(views::of).orElseThrow(() -> ApiProblem.notFound("Job " + jobId));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public PendingGenerations pending(String userId) {
        List<GenerationJob> active = jobs.activeOf(userId);
        List<GenerationJob> completed = jobs.unseenOf(userId, JobStatus.COMPLETED);
        List<GenerationJob> failed = jobs.unseenOf(userId, JobStatus.FAILED);
        var counts = new PendingGenerations.Counts(active.size(), designs(active), completed.size(),
                designs(completed), failed.size());
        return new PendingGenerations(viewsOf(active), viewsOf(completed), viewsOf(failed), counts);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Paged<JobView> history(String userId, PageRequest page) {
        return new Paged<>(viewsOf(jobs.historyOf(userId, page.page(), page.size())), page.page(), page.size(),
                jobs.countOf(userId));
    }

    private List<JobView> viewsOf(List<GenerationJob> list) {
        return list.stream().map(views::of).toList();
    }

    private static int designs(List<GenerationJob> list) {
        return list.stream().mapToInt(GenerationJob::designCount).sum();
    }
}
