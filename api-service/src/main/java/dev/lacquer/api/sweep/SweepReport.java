package dev.lacquer.api.sweep;

/** What one sweep did. */
public record SweepReport(int published, int requeued, int republished, int timedOut, int canceled, int expired,
                          int autoSaved) {
}
