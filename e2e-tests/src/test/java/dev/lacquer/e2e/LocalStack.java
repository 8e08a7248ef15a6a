package dev.lacquer.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Stops and starts the local stack's servers (local-stack/stack.sh) for fault tests. */
public final class LocalStack {

    private static final Path ROOT = Path.of(System.getProperty("lacquer.root", "..")).toAbsolutePath().normalize();
    private static final Path STATE = Path.of(System.getenv().getOrDefault("LACQUER_STACK_DIR",
            ROOT.resolve(".local-stack").toString()));

    private LocalStack() {
    }

    /** True when the servers are the stack's own, so a test may stop and start them. */
    public static boolean ownsServers() {
        return Files.exists(STATE.resolve("run/kafka.pid")) && Files.exists(STATE.resolve("run/postgres.pid"));
    }

    public static void stop(String server) {
        run("stop-one", server);
    }

    public static void kill(String server) {
        run("kill-one", server);
    }

    public static void start(String server) {
        run("start-one", server);
    }

    private static void run(String action, String server) {
        try {
            Process process = new ProcessBuilder("bash", ROOT.resolve("local-stack/stack.sh").toString(), action, server)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            ROOT.resolve("e2e-tests/target/e2e-logs/stack.log").toFile()))
                    .start();
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("stack.sh " + action + " " + server + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
