package dev.lacquer.api.observability;

import dev.lacquer.api.job.repository.JobStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code lacquer.jobs.active{status="processing"}} (jobs in flight: a worker is generating them) and
 * {@code {status="pending"}} (accepted, not started yet), counted in PostgreSQL every 15 s rather than on every
 * scrape. The count is of all jobs, so every replica reports the same value: aggregate with {@code max}, not
 * {@code sum}. The query uses the (status, lease_expires_at) index.
 */
@ApplicationScoped
public class ActiveJobsGauge {

    private final EntityManager em;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong processing = new AtomicLong();

    ActiveJobsGauge(EntityManager em, MeterRegistry registry) {
        this.em = em;
        Gauge.builder("lacquer.jobs.active", processing, AtomicLong::get).tag("status", "processing")
                .description("Jobs being generated (all replicas; refreshed every 15 s)").register(registry);
        Gauge.builder("lacquer.jobs.active", pending, AtomicLong::get).tag("status", "pending")
                .description("Jobs accepted and not started yet (all replicas; refreshed every 15 s)").register(registry);
    }

    @Scheduled(every = "15s", delay = 1, concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledRefresh() {
        try {
            refresh();
        } catch (RuntimeException e) {
            Log.debugf("active jobs gauge not refreshed: %s", e.getMessage());
        }
    }

    @Transactional
    public void refresh() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select status, count(*) from generation_jobs where status in "
                + JobStatus.ACTIVE_SQL + " group by status").getResultList();
        long pendingNow = 0;
        long processingNow = 0;
        for (Object[] row : rows) {
            long count = ((Number) row[1]).longValue();
            if ("pending".equals(row[0])) {
                pendingNow = count;
            } else {
                processingNow = count;
            }
        }
        pending.set(pendingNow);
        processing.set(processingNow);
    }
}
