package dev.lacquer.api.messaging;

/**
 * What one relay pass did with the rows it claimed: {@code published} were acknowledged and deleted, {@code failed}
 * were refused by the producer and released at once, {@code inDoubt} were still unanswered when the relay stopped
 * waiting and stay claimed until their lease runs out.
 */
public record OutboxBatch(int claimed, int published, int failed, int inDoubt, String firstFailure) {

    static final OutboxBatch EMPTY = new OutboxBatch(0, 0, 0, 0, null);

    public boolean allPublished() {
        return published == claimed;
    }
}
