package dev.lacquer.benchmark;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** A latency histogram in microseconds (HdrHistogram, 3 significant digits, up to one hour), reported in ms. */
public final class Hist {

    private static final long HIGHEST_MICROS = 3_600_000_000L;

    private final Histogram histogram = new ConcurrentHistogram(HIGHEST_MICROS, 3);

    public void recordMicros(long micros) {
        histogram.recordValue(Math.max(0, Math.min(HIGHEST_MICROS, micros)));
    }

    public void recordNanos(long nanos) {
        recordMicros(nanos / 1_000);
    }

    public void reset() {
        histogram.reset();
    }

    public long count() {
        return histogram.getTotalCount();
    }

    /** The value at a percentile, in milliseconds. */
    public double ms(double percentile) {
        return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    public double maxMs() {
        return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getMaxValue() / 1000.0;
    }

    public double p50() {
        return ms(50);
    }

    public double p99() {
        return ms(99);
    }

    /** count, p50, p90, p99, p99.9 and max in ms, for the JSON results. */
    public Map<String, Object> summary() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("count", count());
        map.put("p50_ms", round(ms(50)));
        map.put("p90_ms", round(ms(90)));
        map.put("p99_ms", round(ms(99)));
        map.put("p99_9_ms", round(ms(99.9)));
        map.put("max_ms", round(maxMs()));
        return map;
    }

    /** "p50 1.2 / p99 3.4 / max 5.6 ms" */
    public String brief() {
        return "p50 " + Fmt.ms(p50()) + " / p99 " + Fmt.ms(p99()) + " / max " + Fmt.ms(maxMs()) + " ms";
    }

    static Double round(double value) {
        return Double.isNaN(value) ? null : Math.round(value * 1000) / 1000.0;
    }
}
