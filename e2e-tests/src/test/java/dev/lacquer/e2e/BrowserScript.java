package dev.lacquer.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The browser scenarios of {@code e2e-tests/browser/} (Node with playwright-core, driving Debian's Chromium): installs
 * their npm packages when missing, runs one scenario at a time, prints its output as it comes and fails the test
 * with the script's own message when it exits non-zero.
 */
final class BrowserScript {

    static final Path ROOT = Path.of(System.getProperty("lacquer.root", "..")).toAbsolutePath().normalize();
    static final Path DIR = ROOT.resolve("e2e-tests/browser");
    static final Path SCREENSHOTS = ROOT.resolve("e2e-tests/target/browser-screenshots");
    static final String CHROMIUM = System.getenv().getOrDefault("LACQUER_CHROMIUM", "/usr/bin/chromium");
    private static final String FAILURE_PREFIX = "SCENARIO FAILED: ";
    private static final int SCENARIO_LIMIT_SECONDS = 180;

    private final Map<String, String> environment;

    BrowserScript(Map<String, String> environment) {
        this.environment = environment;
    }

    /** Fails at once, with what to install, when node, npm or Chromium is missing; runs {@code npm ci} if needed. */
    static void prepare() {
        if (!Files.isExecutable(Path.of(CHROMIUM))) {
            fail("Chromium is missing at " + CHROMIUM + ": apt-get install -y chromium (.ci/run does), or set LACQUER_CHROMIUM");
        }
        run(List.of("node", "--version"), "node is missing: apt-get install -y nodejs", 30);
        if (!Files.isDirectory(DIR.resolve("node_modules/playwright-core"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), "npm ci failed in e2e-tests/browser (npm missing? apt-get install -y npm)", 300);
        }
    }

    /** Runs {@code node scenarios.mjs <name>}; returns normally when the scenario passed. */
    void scenario(String name) {
        List<String> command = List.of("node", "scenarios.mjs", name);
        ProcessBuilder builder = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        builder.environment().put("CHROMIUM", CHROMIUM);
        builder.environment().put("SCREENSHOT_DIR", SCREENSHOTS.resolve(name).toString());
        List<String> failures = new ArrayList<>();
        List<String> tail = new ArrayList<>();
        int exit;
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            watchdog(process, name);
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    System.out.println("[browser " + name + "] " + line);
                    if (line.startsWith(FAILURE_PREFIX)) {
                        failures.add(line.substring(FAILURE_PREFIX.length()));
                    }
                    tail.add(line);
                    if (tail.size() > 20) {
                        tail.remove(0);
                    }
                }
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            exit = process.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (exit != 0) {
            fail("browser scenario " + name + " failed (exit " + exit + "): "
                    + (failures.isEmpty() ? String.join("\n", tail) : String.join("\n", failures))
                    + "\nscreenshots: " + SCREENSHOTS.resolve(name));
        }
    }

    /** A scenario that hangs is ended, so the build does not. */
    private static void watchdog(Process process, String name) {
        Thread watchdog = new Thread(() -> {
            try {
                if (!process.waitFor(SCENARIO_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                    System.out.println("[browser " + name + "] still running after " + SCENARIO_LIMIT_SECONDS + " s: ended");
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "browser-watchdog-" + name);
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private static void run(List<String> command, String hint, int timeoutSeconds) {
        try {
            Process process = new ProcessBuilder(command).directory(DIR.toFile()).inheritIO().start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " took longer than " + timeoutSeconds + " s");
            }
            if (process.exitValue() != 0) {
                fail(hint);
            }
        } catch (IOException e) {
            fail(hint + " (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
