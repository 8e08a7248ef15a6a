package dev.lacquer.benchmark.scenario;

import dev.lacquer.benchmark.Procs;
import dev.lacquer.benchmark.Progress;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Scenario 1's warm-up. Freshly started services spend much of their CPU compiling (JIT) for minutes under load,
 * so a figure taken in their first minute measures the compiler, not the steady state a running system is in. The
 * closed loop runs in windows of {@value #WINDOW_SECONDS} s until, in the last window, the JIT compiler threads
 * took at most {@value #SETTLED_JIT_PERCENT} % of each service's CPU (read from /proc per thread), or until the
 * longest warm-up ({@code --warmup}) has passed.
 */
final class WarmUp {

    static final int WINDOW_SECONDS = 10;
    static final int SETTLED_JIT_PERCENT = 10;
    private static final int MIN_WINDOWS = 3;

    /** One window: completions per second, and the share of each service's CPU its JIT compiler threads took. */
    record Window(double jobsPerSecond, double apiJitShare, double workerJitShare) {
        boolean settled() {
            return apiJitShare <= SETTLED_JIT_PERCENT / 100.0 && workerJitShare <= SETTLED_JIT_PERCENT / 100.0;
        }

        String describe() {
            return String.format(Locale.ROOT, "%.0f (%.0f/%.0f)", jobsPerSecond, apiJitShare * 100,
                    workerJitShare * 100);
        }
    }

    record Outcome(List<Window> windows, double seconds, boolean settled) {
        String describe() {
            return String.format(Locale.ROOT, "%s after %.0f s; per %d s window, jobs/s (JIT %% of api/worker CPU): %s",
                    settled ? "settled" : "JIT still busy at the longest warm-up", seconds, WINDOW_SECONDS,
                    windows.stream().map(Window::describe).collect(Collectors.joining(" → ")));
        }
    }

    private WarmUp() {
    }

    static Outcome run(LongSupplier completed, long apiPid, long workerPid, int longestSeconds)
            throws InterruptedException {
        List<Window> windows = new CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        long most = Math.max(1, longestSeconds / WINDOW_SECONDS);
        Progress.status(() -> String.format(Locale.ROOT, "phase A: warming up until the JIT settles (at most %d s):"
                        + " %.0f s; jobs/s (JIT %% of api/worker CPU): %s", longestSeconds,
                (System.nanoTime() - start) / 1e9,
                windows.stream().map(Window::describe).collect(Collectors.joining(" "))));
        boolean settled = false;
        while (windows.size() < most && !settled) {
            long done = completed.getAsLong();
            Cpu api = Cpu.of(apiPid);
            Cpu worker = Cpu.of(workerPid);
            long from = System.nanoTime();
            Thread.sleep(WINDOW_SECONDS * 1000L);
            double seconds = (System.nanoTime() - from) / 1e9;
            windows.add(new Window((completed.getAsLong() - done) / seconds, api.jitShareSince(apiPid),
                    worker.jitShareSince(workerPid)));
            settled = windows.size() >= MIN_WINDOWS && windows.getLast().settled();
        }
        return new Outcome(List.copyOf(windows), (System.nanoTime() - start) / 1e9, settled);
    }

    /** A process's CPU seconds, all threads and its JIT compiler threads. */
    private record Cpu(double all, double jit) {
        static Cpu of(long pid) {
            return new Cpu(Procs.cpuSeconds(pid), Procs.jitCpuSeconds(pid));
        }

        double jitShareSince(long pid) {
            Cpu now = of(pid);
            double used = now.all - all;
            return used <= 0 ? 0 : Math.max(0, now.jit - jit) / used;
        }
    }
}
