package dev.lacquer.benchmark;

import dev.lacquer.benchmark.scenario.ApiLatency;
import dev.lacquer.benchmark.scenario.Ceiling;
import dev.lacquer.benchmark.scenario.ConcurrencyEfficiency;
import dev.lacquer.benchmark.scenario.FaultSoak;
import dev.lacquer.benchmark.scenario.PickupLatency;
import dev.lacquer.benchmark.scenario.Scenario;
import dev.lacquer.benchmark.scenario.StartupAndMemory;
import dev.lacquer.benchmark.scenario.Throughput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** benchmark/run.sh runs this against a stack it started; see benchmark/README.md. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("benchmark: " + e.getMessage());
            System.exit(2);
            return;
        }
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        String stamp = now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String runId = now.format(DateTimeFormatter.ofPattern("MMddHHmmss"));
        Path logDir = options.repo().resolve("benchmark/target/logs/" + stamp);
        Files.createDirectories(logDir);
        Stack stack = new Stack(options.repo(), options.stackDir(), options.offset(), logDir);
        Results results = new Results();
        meta(results, options, stack, now);

        Progress.startTicker(5);
        Progress.say("run " + stamp + ": scenarios " + options.scenarios() + ", " + options.duration()
                + " s phases; logs in " + logDir);
        int failures = 0;
        try (Services services = new Services(options.repo(), options.javaHome(), logDir, stack, options.apiEnv(),
                options.workerEnv())) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    services.close();
                } catch (InterruptedException ignored) {
                    // exiting anyway
                }
            }));
            Bench bench = new Bench(options, stack, services, results, logDir, runId);
            Map<String, Object> loads = new LinkedHashMap<>();
            for (int number : options.scenarios()) {
                Scenario scenario = scenario(number);
                String name = number + " " + scenario.title();
                Progress.scenario(name);
                String loadBefore = Procs.loadAverage();
                double machineBefore = Procs.machineBusySeconds();
                List<Long> rootsBefore = bench.ourRoots();
                double oursBefore = bench.ourCpuSeconds();
                long started = System.nanoTime();
                try {
                    scenario.run(bench);
                } catch (Exception | AssertionError e) {
                    failures++;
                    results.row(Integer.toString(number), "scenario aborted", e.getClass().getSimpleName() + ": "
                            + e.getMessage());
                    Progress.say("aborted: " + e);
                    e.printStackTrace(System.out);
                }
                Progress.status(() -> "");
                String loadAfter = Procs.loadAverage();
                double seconds = (System.nanoTime() - started) / 1e9;
                double cores = Runtime.getRuntime().availableProcessors();
                // Unknown when a server was restarted: its predecessor's CPU left the count.
                double ours = rootsBefore.equals(bench.ourRoots()) ? bench.ourCpuSeconds() - oursBefore : Double.NaN;
                double others = Math.max(0, Procs.machineBusySeconds() - machineBefore - ours);
                results.machineShare(Integer.toString(number), scenario.title(), seconds, loadBefore, loadAfter,
                        ours / seconds / cores, others / seconds / cores);
                loads.put(Integer.toString(number), Map.of("load_before", loadBefore, "load_after", loadAfter,
                        "seconds", Math.round((System.nanoTime() - started) / 1e9)));
                results.detail(Integer.toString(number), "load_average", Map.of("before", loadBefore,
                        "after", loadAfter));
                Progress.say("done in " + Math.round((System.nanoTime() - started) / 1e9) + " s (load average "
                        + loadBefore + " → " + loadAfter + ")");
            }
            results.meta("load average per scenario (1/5/15 min, before → after)", describeLoads(loads));
        }
        results.meta("load average at end (1/5/15 min)", Procs.loadAverage());
        results.meta("finished", ZonedDateTime.now(ZoneOffset.UTC).toString());
        Path md = options.out().resolve(stamp + ".md");
        Path json = options.out().resolve(stamp + ".json");
        results.writeMarkdown(md, "Lacquer benchmark " + stamp);
        results.writeJson(json);
        Progress.scenario("results");
        System.out.println();
        System.out.println(results.markdownTable());
        System.out.println("written: " + md + " and " + json);
        System.exit(failures == 0 ? 0 : 1);
    }

    private static Scenario scenario(int number) {
        return switch (number) {
            case 0 -> new Ceiling();
            case 1 -> new Throughput();
            case 2 -> new PickupLatency();
            case 3 -> new ConcurrencyEfficiency();
            case 4 -> new ApiLatency();
            case 5 -> new StartupAndMemory();
            case 6 -> new FaultSoak();
            default -> throw new IllegalArgumentException("no scenario " + number);
        };
    }

    private static String describeLoads(Map<String, Object> loads) {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, Object> entry : loads.entrySet()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> load = (Map<String, Object>) entry.getValue();
            if (!text.isEmpty()) {
                text.append("; ");
            }
            text.append("s").append(entry.getKey()).append(": ").append(load.get("load_before")).append(" → ")
                    .append(load.get("load_after"));
        }
        return text.toString();
    }

    private static void meta(Results results, Options options, Stack stack, ZonedDateTime now) {
        Map<String, Object> machine = Procs.machine();
        results.meta("date", now.toString());
        results.meta("command", options.command().isEmpty() ? "benchmark/run.sh" : options.command());
        results.meta("commit", git(options.repo(), "rev-parse", "--short=12", "HEAD")
                + (git(options.repo(), "status", "--porcelain", "--untracked-files=no").isBlank() ? ""
                : " (working tree has uncommitted changes)"));
        results.meta("machine", machine.get("cores") + " cores (" + machine.get("cpu") + "), "
                + machine.get("memory") + ", " + machine.get("kernel"));
        results.meta("load average at start (1/5/15 min)", Procs.loadAverage() + " — other work on this machine "
                + "shares the cores; figures are depressed when this is above ~0.5");
        results.meta("versions", versions(options));
        results.meta("settings", "phases " + options.duration() + " s, soak " + options.soakSeconds()
                + " s, stack " + options.stackDir() + " (port offset " + options.offset() + ")");
        if (!options.apiEnv().isEmpty() || !options.workerEnv().isEmpty()) {
            results.meta("changed settings (not the defaults)", "api " + options.apiEnv() + ", worker "
                    + options.workerEnv());
        }
        results.meta("machine_detail", machine);
    }

    private static String versions(Options options) {
        String quarkus = property(options.repo().resolve("pom.xml"), "quarkus.platform.version");
        Path localStack = options.repo().resolve("local-stack/pom.xml");
        return "Java " + Runtime.version() + ", Quarkus " + quarkus + ", Kafka " + property(localStack, "kafka.version")
                + ", PostgreSQL " + property(localStack, "postgres-binaries.version") + " (zonky binaries), s3proxy "
                + property(localStack, "s3proxy.version");
    }

    private static String property(Path pom, String name) {
        try {
            Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(Files.readString(pom));
            return m.find() ? m.group(1).trim() : "?";
        } catch (IOException e) {
            return "?";
        }
    }

    private static String git(Path repo, String... args) {
        try {
            List<String> command = new java.util.ArrayList<>(List.of("git", "-C", repo.toString()));
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes()).trim();
            process.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }
}
