package dev.lacquer.api.job.rest;

import dev.lacquer.api.problem.ApiProblem;
import java.util.UUID;

/** Job ids in paths: a badly formed id is as unknown as a missing one (404). */
final class JobIds {

    private JobIds() {
    }

    static UUID parse(String raw) {
        try {
            UUID id = UUID.fromString(raw);
            if (!id.toString().equalsIgnoreCase(raw)) {
                throw new IllegalArgumentException(raw);
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw ApiProblem.notFound("Job " + raw);
        }
    }
}
