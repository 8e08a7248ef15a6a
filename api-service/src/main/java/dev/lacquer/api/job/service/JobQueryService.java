package dev.lacquer.api.job.service;

import dev.lacquer.api.job.mapping.JobView;
import dev.lacquer.api.job.mapping.JobViews;
import dev.lacquer.api.job.mapping.PendingGenerations;
import dev.lacquer.api.job.repository.GenerationJob;
import dev.lacquer.api.job.repository.JobReads;
import dev.lacquer.api.job.repository.JobReads.QueuedJob;
import dev.lacquer.api.job.repository.JobStatus;
import dev.lacquer.api.paging.PageRequest;
import dev.lacquer.api.paging.Paged;
import dev.lacquer.api.problem.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/** Read-only views of a user's jobs: one SQL round trip per request, no transaction (JobReads). */
@ApplicationScoped
public class JobQueryService {

    private static final Comparator<QueuedJob> BY_CREATION = Comparator.comparing((QueuedJob q) -> q.job().createdAt)
            .thenComparing(q -> q.job().id);
    private static final Comparator<QueuedJob> BY_COMPLETION = Comparator
            .comparing((QueuedJob q) -> q.job().completedAt, Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
            .thenComparing(q -> q.job().id);

    private final JobReads reads;
    private final JobViews views;
    private final QueueEstimates queue;

    JobQueryService(JobReads reads, JobViews views, QueueEstimates queue) {
        this.reads = reads;
        this.views = views;
        this.queue = queue;
    }

    public JobView job(String userId, UUID jobId) {
        return reads.owned(jobId, userId).map(this::viewOf).orElseThrow(() -> ApiProblem.notFound("Job " + jobId));
    }

    public PendingGenerations pending(String userId) {
        List<QueuedJob> active = new ArrayList<>();
        List<QueuedJob> completed = new ArrayList<>();
        List<QueuedJob> failed = new ArrayList<>();
        for (QueuedJob row : reads.needingAttention(userId)) {
            switch (row.job().status) {
                case PENDING, PROCESSING -> active.add(row);
                case COMPLETED -> completed.add(row);
                case FAILED -> failed.add(row);
                case CANCELED -> { // not announced: the user canceled it
                }
            }
        }
        active.sort(BY_CREATION);
        completed.sort(BY_COMPLETION);
        failed.sort(BY_COMPLETION);
        var counts = new PendingGenerations.Counts(active.size(), designs(active), completed.size(),
                designs(completed), failed.size());
        return new PendingGenerations(viewsOf(active), viewsOf(completed), viewsOf(failed), counts);
    }

    public Paged<JobView> history(String userId, PageRequest page) {
        JobReads.HistoryPage found = reads.history(userId, page.page(), page.size());
        return new Paged<>(found.jobs().stream().map(views::of).toList(), page.page(), page.size(), found.total());
    }

    private JobView viewOf(QueuedJob row) {
        return views.of(row.job(), row.job().status == JobStatus.PENDING ? queue.slot(row.queuePosition()) : null);
    }

    private List<JobView> viewsOf(List<QueuedJob> rows) {
        return rows.stream().map(this::viewOf).toList();
    }

    private static int designs(List<QueuedJob> rows) {
        return rows.stream().map(QueuedJob::job).mapToInt(GenerationJob::designCount).sum();
    }
}
