package dev.lacquer.benchmark;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * The warm-up before a scenario measures freshly started services (scenario 1's closed loop, {@link Bench#warmUp}
 * for the others). Freshly started services spend much of their CPU compiling (JIT) for minutes under load, so a
 * figure taken in their first minute measures the compiler, not the steady state a running system is in. The load
 * runs in windows of {@value #WINDOW_SECONDS} s until, in the last window, the JIT compiler threads took at most
 * {@value #SETTLED_JIT_PERCENT} % of each watched service's CPU (read from /proc per thread), or until the longest
 * warm-up ({@code --warmup}) has passed.
 */
public final class WarmUp {

    public static final int WINDOW_SECONDS = 10;
    public static final int SETTLED_JIT_PERCENT = 10;
    private static final int MIN_WINDOWS = 3;

    /** One window: completions per second, and the share of each watched service's CPU its JIT threads took. */
    public record Window(double jobsPerSecond, Map<String, Double> jitShare) {
        boolean settled() {
            return jitShare.values().stream().allMatch(JitMeter::settled);
        }

        String describe() {
            return String.format(Locale.ROOT, "%.0f (%s)", jobsPerSecond, jitShare.values().stream()
                    .map(share -> String.format(Locale.ROOT, "%.0f", share * 100)).collect(Collectors.joining("/")));
        }
    }

    public record Outcome(List<String> services, List<Window> windows, double seconds, boolean settled) {
        public String describe() {
            return String.format(Locale.ROOT, "%s after %.0f s; per %d s window, jobs/s (JIT %% of %s CPU): %s",
                    settled ? "settled" : "JIT still busy at the longest warm-up", seconds, WINDOW_SECONDS,
                    String.join("/", services), windows.stream().map(Window::describe).collect(Collectors.joining(" → ")));
        }
    }

    private WarmUp() {
    }

    /**
     * @param completed how many jobs the load has finished so far
     * @param watched   the services whose JIT must settle, by name, as process ids
     */
    public static Outcome run(LongSupplier completed, Map<String, Long> watched, int longestSeconds)
            throws InterruptedException {
        List<Window> windows = new CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        long most = Math.max(1, longestSeconds / WINDOW_SECONDS);
        List<String> names = List.copyOf(watched.keySet());
        Progress.status(() -> String.format(Locale.ROOT, "warming up until the JIT settles (at most %d s): %.0f s;"
                        + " jobs/s (JIT %% of %s CPU): %s", longestSeconds, (System.nanoTime() - start) / 1e9,
                String.join("/", names), windows.stream().map(Window::describe).collect(Collectors.joining(" "))));
        boolean settled = false;
        while (windows.size() < most && !settled) {
            long done = completed.getAsLong();
            Map<String, JitMeter> meters = new LinkedHashMap<>();
            watched.forEach((name, pid) -> meters.put(name, JitMeter.start(pid)));
            long from = System.nanoTime();
            Thread.sleep(WINDOW_SECONDS * 1000L);
            double seconds = (System.nanoTime() - from) / 1e9;
            Map<String, Double> shares = new LinkedHashMap<>();
            meters.forEach((name, meter) -> shares.put(name, meter.share()));
            windows.add(new Window((completed.getAsLong() - done) / seconds, shares));
            settled = windows.size() >= MIN_WINDOWS && windows.getLast().settled();
        }
        return new Outcome(names, List.copyOf(windows), (System.nanoTime() - start) / 1e9, settled);
    }

    /** The share of one JVM's CPU its JIT compiler threads took since {@link #start}. */
    public record JitMeter(long pid, double all, double jit) {
        public static JitMeter start(long pid) {
            return new JitMeter(pid, Procs.cpuSeconds(pid), Procs.jitCpuSeconds(pid));
        }

        public double share() {
            double used = Procs.cpuSeconds(pid) - all;
            return used <= 0 ? 0 : Math.max(0, Procs.jitCpuSeconds(pid) - jit) / used;
        }

        /** At most {@value WarmUp#SETTLED_JIT_PERCENT} %. */
        public static boolean settled(double share) {
            return share <= SETTLED_JIT_PERCENT / 100.0;
        }
    }
}
