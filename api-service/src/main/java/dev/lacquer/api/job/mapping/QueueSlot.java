package dev.lacquer.api.job.mapping;

import java.time.Instant;

/**
 * A pending job's place in the queue across all users: {@code position} 1 is next (1 + the pending jobs queued
 * before it), {@code estimatedStartAt} when it may start at the recently measured start rate (an estimate).
 */
public record QueueSlot(long position, Instant estimatedStartAt) {
}
