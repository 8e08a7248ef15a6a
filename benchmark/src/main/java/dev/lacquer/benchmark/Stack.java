package dev.lacquer.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's own local stack (local-stack/stack.sh with its own state directory and port offset): fault
 * injection (stop-one, start-one, kill-one), Kafka's command-line tools, the addresses in infra.env and the
 * servers' pids.
 */
public final class Stack {

    /** Variables that would make stack.sh treat a server as external; they are removed from its environment. */
    private static final List<String> EXTERNAL_VARS = List.of("DB_URL", "KAFKA_BOOTSTRAP_SERVERS", "S3_ENDPOINT",
            "OIDC_AUTH_SERVER_URL");

    private final Path repo;
    private final Path stateDir;
    private final int offset;
    private final Path logDir;

    public Stack(Path repo, Path stateDir, int offset, Path logDir) {
        this.repo = repo;
        this.stateDir = stateDir;
        this.offset = offset;
        this.logDir = logDir;
    }

    public int offset() {
        return offset;
    }

    /** The outcome of one stack.sh call. */
    public record Outcome(int exitCode, String output, double seconds) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** Runs {@code stack.sh args...}, waiting at most {@code timeoutSeconds}. */
    public Outcome run(long timeoutSeconds, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", repo.resolve("local-stack/stack.sh").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        EXTERNAL_VARS.forEach(env::remove);
        env.put("LACQUER_STACK_DIR", stateDir.toString());
        env.put("LACQUER_STACK_PORT_OFFSET", Integer.toString(offset));
        long started = System.nanoTime();
        try {
            Path out = Files.createTempFile(logDir, "stack-" + args[0] + "-", ".log");
            builder.redirectOutput(out.toFile());
            Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                return new Outcome(-1, Files.readString(out) + "\n(timed out after " + timeoutSeconds + " s)",
                        (System.nanoTime() - started) / 1e9);
            }
            return new Outcome(process.exitValue(), Files.readString(out), (System.nanoTime() - started) / 1e9);
        } catch (IOException e) {
            return new Outcome(-1, e.toString(), (System.nanoTime() - started) / 1e9);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(-1, "interrupted", (System.nanoTime() - started) / 1e9);
        }
    }

    /** stack.sh start-one NAME (waits until the server really answers). */
    public Outcome startOne(String name) {
        return run(180, "start-one", name);
    }

    public Outcome stopOne(String name) {
        return run(120, "stop-one", name);
    }

    public Outcome killOne(String name) {
        return run(60, "kill-one", name);
    }

    /** A Kafka tool (main class) on the broker's class path. */
    public Outcome kafkaTool(long timeoutSeconds, String mainClass, String... args) {
        List<String> all = new ArrayList<>(List.of("kafka-console", mainClass));
        all.addAll(List.of(args));
        return run(timeoutSeconds, all.toArray(String[]::new));
    }

    /** The KEY=value lines of infra.env (single-quoted values unquoted). */
    public Map<String, String> infraEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(stateDir.resolve("infra.env"))) {
                if (line.isBlank() || line.startsWith("#") || !line.contains("=")) {
                    continue;
                }
                String key = line.substring(0, line.indexOf('='));
                String value = line.substring(line.indexOf('=') + 1);
                if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
                    value = value.substring(1, value.length() - 1).replace("'\\''", "'");
                }
                env.put(key, value);
            }
        } catch (IOException e) {
            throw new IllegalStateException("no infra.env in " + stateDir + ": start the stack first", e);
        }
        return env;
    }

    /** The pid of one of the stack's servers (postgres: the postmaster), or -1 when not running. */
    public long pid(String name) {
        try {
            return Long.parseLong(Files.readString(stateDir.resolve("run/" + name + ".pid")).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
