package dev.lacquer.api.messaging;

/**
 * What one relay pass did with the rows it claimed: {@code published} were acknowledged and deleted, {@code failed}
 * were refused by the producer and released at once, {@code inDoubt} were still unanswered when the relay stopped
 * waiting: deleted if the producer reports them acknowledged later, else sent again after their lease.
 */
public record OutboxBatch(int claimed, int published, int failed, int inDoubt, String firstFailure) {

    static final OutboxBatch EMPTY = new OutboxBatch(0, 0, 0, 0, null);

    public boolean allPublished() {
        return published == claimed;
    }
}
