package dev.lacquer.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** Readings from /proc: memory of a process, CPU time of a process tree, the load average, the machine. */
public final class Procs {

    /** Linux reports CPU times in clock ticks of 1/100 s (USER_HZ) on every common architecture. */
    private static final double TICKS_PER_SECOND = 100.0;

    private Procs() {
    }

    /** Resident set size in bytes, or -1 when the process is gone. */
    public static long rssBytes(long pid) {
        return statusKb(pid, "VmRSS:") * 1024;
    }

    /** Peak resident set size (high-water mark) in bytes, or -1. */
    public static long peakRssBytes(long pid) {
        return statusKb(pid, "VmHWM:") * 1024;
    }

    private static long statusKb(long pid, String field) {
        try (Stream<String> lines = Files.lines(Path.of("/proc/" + pid + "/status"))) {
            return lines.filter(l -> l.startsWith(field)).findFirst()
                    .map(l -> Long.parseLong(l.substring(field.length()).trim().split("\\s+")[0])).orElse(-1L);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU seconds (user + system) used so far by the process and its direct children (PostgreSQL backends). */
    public static double cpuSecondsWithChildren(long pid) {
        double total = cpuSeconds(pid);
        for (long child : childrenOf(pid)) {
            total += cpuSeconds(child);
        }
        return total;
    }

    /** CPU seconds (user + system) used so far by one process, 0 when it is gone. */
    public static double cpuSeconds(long pid) {
        return cpuSecondsOf(statFields(pid));
    }

    /** utime + stime of a stat line's fields, in seconds; 0 for none. */
    private static double cpuSecondsOf(String[] fields) {
        return fields == null ? 0 : (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    }

    /**
     * CPU seconds used so far by a JVM's JIT compiler threads ("C1 CompilerThre…", "C2 CompilerThre…"), 0 when
     * the process is gone: while a JVM is still compiling its hot code, this grows with the load.
     */
    public static double jitCpuSeconds(long pid) {
        double total = 0;
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (Files.readString(task.resolve("comm")).contains("CompilerThre")) {
                        total += cpuSecondsOf(statFields(task.resolve("stat")));
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return total;
    }

    /** Fields of /proc/pid/stat after the command name: index 0 is the state (field 3 of the man page). */
    private static String[] statFields(long pid) {
        return statFields(Path.of("/proc/" + pid + "/stat"));
    }

    private static String[] statFields(Path file) {
        try {
            String stat = Files.readString(file);
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    public static List<Long> childrenOf(long pid) {
        List<Long> children = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .forEach(n -> {
                        String[] fields = statFields(Long.parseLong(n));
                        if (fields != null && Long.parseLong(fields[1]) == pid) {
                            children.add(Long.parseLong(n));
                        }
                    });
        } catch (IOException e) {
            // no children seen
        }
        return children;
    }

    /** CPU seconds the whole machine spent busy (every process, every core) since boot, from /proc/stat. */
    public static double machineBusySeconds() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/stat"))) {
            String[] f = lines.filter(l -> l.startsWith("cpu ")).findFirst().orElseThrow().trim().split("\\s+");
            // user nice system idle iowait irq softirq steal
            long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                    + Long.parseLong(f[7]) + Long.parseLong(f[8]);
            return busy / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * CPU seconds used by the process trees under the given roots: every live process counts its own time plus
     * that of its children it already reaped, so a tool or service that ran and exited still counts once.
     */
    public static double treesCpuSeconds(List<Long> roots) {
        Map<Long, List<Long>> children = new java.util.HashMap<>();
        Map<Long, String[]> stats = new java.util.HashMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .forEach(n -> {
                        long pid = Long.parseLong(n);
                        String[] fields = statFields(pid);
                        if (fields != null) {
                            stats.put(pid, fields);
                            children.computeIfAbsent(Long.parseLong(fields[1]), k -> new ArrayList<>()).add(pid);
                        }
                    });
        } catch (IOException e) {
            return Double.NaN;
        }
        java.util.Set<Long> seen = new java.util.HashSet<>();
        java.util.ArrayDeque<Long> todo = new java.util.ArrayDeque<>();
        for (long root : roots) {
            if (root > 0) {
                todo.add(root);
            }
        }
        double total = 0;
        while (!todo.isEmpty()) {
            long pid = todo.poll();
            if (!seen.add(pid)) {
                continue;
            }
            String[] f = stats.get(pid);
            if (f != null) {
                total += (Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13])
                        + Long.parseLong(f[14])) / TICKS_PER_SECOND;
            }
            todo.addAll(children.getOrDefault(pid, List.of()));
        }
        return total;
    }

    /** The 1, 5 and 15 minute load averages. */
    public static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "n/a";
        }
    }

    public static double load1() {
        try {
            return Double.parseDouble(loadAverage().split(" ")[0]);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    public static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("memory", String.format(Locale.ROOT, "%.1f GiB", memTotalKb() / 1024.0 / 1024.0));
        machine.put("cpu", cpuModel());
        machine.put("kernel", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        return machine;
    }

    private static long memTotalKb() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
            return lines.filter(l -> l.startsWith("MemTotal:")).findFirst()
                    .map(l -> Long.parseLong(l.replaceAll("\\D+", ""))).orElse(-1L);
        } catch (IOException e) {
            return -1;
        }
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
