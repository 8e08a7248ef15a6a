package dev.lacquer.benchmark;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Command-line options.
 *
 * @param scenarios   scenarios to run, in the order given
 * @param duration    seconds of each measured phase (soak: {@link #soakSeconds()})
 * @param soak        seconds of the fault soak's job stream (0: derived from the duration)
 * @param warmup      the longest warm-up, in seconds, before scenarios 1, 2 and 4 measure services not yet warm:
 *                    load runs until the services' JIT has settled ({@link WarmUp}) or this long
 * @param javaHome    the JDK the services run on ({@code --java-home}; default: the benchmark's own)
 * @param command     the command line that started the run, for the results
 * @param apiEnv      extra environment of the API ({@code --api-env KEY=VALUE}), to measure a change of setting
 * @param workerEnv   extra environment of the worker ({@code --worker-env KEY=VALUE})
 */
public record Options(List<Integer> scenarios, int duration, int soak, int warmup, Path repo, Path stackDir, int offset,
                      Path out, Path javaHome, String command, Map<String, String> apiEnv,
                      Map<String, String> workerEnv) {

    public static final List<Integer> ALL = List.of(5, 0, 1, 2, 3, 4, 6);

    public int soakSeconds() {
        return soak > 0 ? soak : Math.max(150, duration * 6);
    }

    public static Options parse(String[] args) {
        List<Integer> scenarios = new java.util.ArrayList<>();
        int duration = 20;
        int soak = 0;
        int warmup = 240;
        Path repo = Path.of(".").toAbsolutePath().normalize();
        Path stackDir = null;
        int offset = 4000;
        Path out = null;
        Path javaHome = Path.of(System.getProperty("java.home"));
        String command = "";
        Map<String, String> apiEnv = new TreeMap<>();
        Map<String, String> workerEnv = new TreeMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (arg) {
                case "--scenario" -> {
                    for (String part : require(arg, value).split(",")) {
                        int n = Integer.parseInt(part.trim());
                        if (n < 0 || n > 6) {
                            throw new IllegalArgumentException("scenarios are 0..6, not " + n);
                        }
                        scenarios.add(n);
                    }
                    i++;
                }
                case "--duration" -> {
                    duration = Integer.parseInt(require(arg, value));
                    i++;
                }
                case "--warmup" -> {
                    warmup = Integer.parseInt(require(arg, value));
                    i++;
                }
                case "--soak" -> {
                    soak = Integer.parseInt(require(arg, value));
                    i++;
                }
                case "--repo" -> {
                    repo = Path.of(require(arg, value)).toAbsolutePath().normalize();
                    i++;
                }
                case "--stack-dir" -> {
                    stackDir = Path.of(require(arg, value)).toAbsolutePath().normalize();
                    i++;
                }
                case "--offset" -> {
                    offset = Integer.parseInt(require(arg, value));
                    i++;
                }
                case "--out" -> {
                    out = Path.of(require(arg, value)).toAbsolutePath().normalize();
                    i++;
                }
                case "--java-home" -> {
                    javaHome = Path.of(require(arg, value));
                    i++;
                }
                case "--command" -> {
                    command = require(arg, value);
                    i++;
                }
                case "--api-env", "--worker-env" -> {
                    String pair = require(arg, value);
                    int eq = pair.indexOf('=');
                    if (eq < 1) {
                        throw new IllegalArgumentException(arg + " takes KEY=VALUE");
                    }
                    (arg.equals("--api-env") ? apiEnv : workerEnv).put(pair.substring(0, eq), pair.substring(eq + 1));
                    i++;
                }
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        if (warmup < 15 || warmup > 3600) {
            throw new IllegalArgumentException("--warmup must be 15..3600 seconds");
        }
        if (duration < 5 || duration > 3600) {
            throw new IllegalArgumentException("--duration must be 5..3600 seconds");
        }
        if (scenarios.isEmpty()) {
            scenarios = ALL;
        } else {
            scenarios = ALL.stream().filter(scenarios::contains).toList();
        }
        if (stackDir == null) {
            stackDir = Path.of("/tmp/lacquer-bench-" + offset);
        }
        if (out == null) {
            out = repo.resolve("benchmark/results");
        }
        return new Options(List.copyOf(scenarios), duration, soak, warmup, repo, stackDir, offset, out, javaHome, command,
                Map.copyOf(apiEnv), Map.copyOf(workerEnv));
    }

    private static String require(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }
}
