package dev.lacquer.api.credit;

/**
 * A user's credits. {@code balance} is after every charge and refund; {@code reserved} is the
 * cost of accepted jobs that have not started (so are not charged yet); {@code available} is
 * what a new job may spend.
 */
public record CreditSummary(long balance, long reserved, long available) {
}
