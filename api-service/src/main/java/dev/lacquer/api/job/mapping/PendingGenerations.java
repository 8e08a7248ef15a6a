package dev.lacquer.api.job.mapping;

import java.util.List;

/**
 * What the app shows on return: jobs still generating, and finished jobs the user has not
 * acknowledged yet. The counts feed "2 designs generating" and "4 designs completed!".
 */
public record PendingGenerations(List<JobView> activeJobs, List<JobView> completedJobs, List<JobView> failedJobs,
                                 Counts counts) {

    public record Counts(int activeJobs, int activeDesigns, int completedJobs, int completedDesigns,
                         int failedJobs) {
    }
}
