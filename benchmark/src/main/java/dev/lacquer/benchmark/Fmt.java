package dev.lacquer.benchmark;

import java.util.Locale;

/** Number formatting for the progress line and the Markdown table. */
public final class Fmt {

    private Fmt() {
    }

    /** Milliseconds with a precision that fits their size. */
    public static String ms(double ms) {
        if (Double.isNaN(ms)) {
            return "n/a";
        }
        if (ms < 10) {
            return String.format(Locale.ROOT, "%.2f", ms);
        }
        if (ms < 100) {
            return String.format(Locale.ROOT, "%.1f", ms);
        }
        return String.format(Locale.ROOT, "%,.0f", ms);
    }

    public static String rate(double perSecond) {
        if (Double.isNaN(perSecond)) {
            return "n/a";
        }
        return perSecond < 100 ? String.format(Locale.ROOT, "%.1f", perSecond)
                : String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    public static String num(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    public static String pct(double fraction) {
        return Double.isNaN(fraction) ? "n/a" : String.format(Locale.ROOT, "%.0f %%", fraction * 100);
    }

    public static String secs(double seconds) {
        return Double.isNaN(seconds) ? "n/a" : String.format(Locale.ROOT, "%.1f s", seconds);
    }

    public static String mb(long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f MB", bytes / 1024.0 / 1024.0);
    }

    public static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }
}
