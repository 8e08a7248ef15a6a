package dev.lacquer.api.paging;

import java.util.List;

/** One page of a list; {@code page} counts from 0. */
public record Paged<T>(List<T> items, int page, int size, long total) {
}
