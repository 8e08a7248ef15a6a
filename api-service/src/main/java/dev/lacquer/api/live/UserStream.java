package dev.lacquer.api.live;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * One connection's ordering. The connection subscribes to live changes before it reads the
 * stored ones, so nothing falls between the two; live changes that arrive before the stored
 * ones are sent wait for them. Nothing at or below the last sequence number sent goes out
 * again, so each change reaches the connection once and in order.
 */
final class UserStream {

    private final Consumer<LiveFeed.Row> sink;
    private final List<LiveFeed.Row> early = new ArrayList<>();
    private boolean replayed;
    private long lastSent;

    UserStream(long after, Consumer<LiveFeed.Row> sink) {
        this.lastSent = after;
        this.sink = sink;
    }

    synchronized void replay(List<LiveFeed.Row> stored) {
        stored.forEach(this::send);
        early.stream().sorted(Comparator.comparingLong(LiveFeed.Row::seq)).forEach(this::send);
        early.clear();
        replayed = true;
    }

    synchronized void live(LiveFeed.Row row) {
        if (replayed) {
            send(row);
        } else {
            early.add(row);
        }
    }

    private void send(LiveFeed.Row row) {
        if (row.seq() > lastSent) {
            lastSent = row.seq();
            sink.accept(row);
        }
    }
}
