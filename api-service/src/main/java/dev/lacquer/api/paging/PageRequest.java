package dev.lacquer.api.paging;

import dev.lacquer.api.problem.ApiProblem;
import dev.lacquer.api.problem.Problem.FieldError;
import java.util.ArrayList;
import java.util.List;

/** Bounded paging parameters: page from 0, size 1–100 (default 20). */
public record PageRequest(int page, int size) {

    public static final int DEFAULT_SIZE = 20;
    public static final int MAX_SIZE = 100;
    public static final int MAX_PAGE = 10_000;

    public static PageRequest of(String page, String size) {
        List<FieldError> errors = new ArrayList<>();
        int p = parse("page", page, 0, errors);
        int s = parse("size", size, DEFAULT_SIZE, errors);
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        if (p < 0 || p > MAX_PAGE) {
            errors.add(new FieldError("page", "must be between 0 and " + MAX_PAGE));
        }
        if (s < 1 || s > MAX_SIZE) {
            errors.add(new FieldError("size", "must be between 1 and " + MAX_SIZE));
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        return new PageRequest(p, s);
    }

    private static int parse(String field, String raw, int fallback, List<FieldError> errors) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            errors.add(new FieldError(field, "must be a whole number"));
            return fallback;
        }
    }
}
