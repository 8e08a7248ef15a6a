package dev.lacquer.api.job;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.lacquer.api.job.mapping.JobView;
import dev.lacquer.api.job.mapping.JobViews;
import dev.lacquer.api.job.repository.GenerationJob;
import dev.lacquer.api.job.repository.JobReads;
import dev.lacquer.api.job.repository.JobStatus;
import dev.lacquer.api.support.ApiClient;
import dev.lacquer.api.support.Kafka;
import dev.lacquer.api.support.WorkerSide;
import dev.lacquer.model.DesignSettings;
import dev.lacquer.model.ErrorCode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The plain-SQL paths (the read path clients poll, {@link JobReads}, and the event consumer's locked jobs) map
 * {@code generation_jobs} columns by hand ({@code JobRows}) beside the JPA entity. A job whose every shown field holds
 * a non-default value must look the same to a client through both: a column added to the entity and the view but
 * forgotten in {@code JobRows} fails here.
 */
@QuarkusTest
class JobReadsMappingTest {

    @Inject
    JobReads reads;

    @Inject
    JobViews views;

    @Test
    void everyFieldAClientSeesReadsTheSameThroughPlainSqlAsThroughTheEntity() {
        DesignSettings settings = new DesignSettings("coffin", "long", "matte", List.of("#112233", "#445566"),
                "french tips");
        ApiClient dana = ApiClient.newUser("dana");
        UUID jobId = dana.createJob("mapping guard", 2);
        // Started and failed through the worker's events, so the ledger stays true (a charge, then its refund).
        WorkerSide worker = new WorkerSide(jobId, dana.user());
        Kafka.publishEvent(worker.started(1));
        Kafka.publishEvent(worker.failed(1, ErrorCode.CONTENT_POLICY, false));
        await().atMost(Duration.ofSeconds(20)).until(() -> "failed".equals(dana.status(jobId)));
        Instant base = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        QuarkusTransaction.requiringNew().run(() -> {
            GenerationJob job = GenerationJob.findById(jobId);
            job.progress = 50;
            job.designSettings = settings;
            job.resultImageKeys = List.of("results/" + jobId + "/0.png", "results/" + jobId + "/1.png");
            job.thumbnailKeys = List.of("thumbnails/" + jobId + "/0.png", "thumbnails/" + jobId + "/1.png");
            job.errorMessage = "the model refused";
            job.autoSaved = true;
            job.seenAt = base.plusSeconds(3);
            job.cancelRequestedAt = base.plusSeconds(4);
            job.attempt = 3;
            job.model = "gpt-image-1";
        });

        GenerationJob throughEntity = QuarkusTransaction.requiringNew().call(() -> GenerationJob.findById(jobId));
        GenerationJob throughSql = reads.owned(jobId, dana.user()).orElseThrow().job();

        JobView expected = views.of(throughEntity);
        assertEquals(expected, views.of(throughSql));
        // The guard only guards what is set: every field holds a value that is not its default.
        assertNotNull(expected.startedAt());
        assertNotNull(expected.completedAt());
        assertNotNull(expected.errorCode());
        assertEquals(new JobView(jobId, JobStatus.FAILED, expected.createdAt(), expected.startedAt(),
                expected.completedAt(), 50, 2, "mapping guard", settings, expected.originalImage(),
                expected.resultImages(), expected.thumbnails(), expected.errorCode(), "the model refused", true, true,
                true, 3, "gpt-image-1", null, null), expected);
        assertEquals(2, expected.resultImages().size());
        assertEquals(2, expected.thumbnails().size());
    }
}
