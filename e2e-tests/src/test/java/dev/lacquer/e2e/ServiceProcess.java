package dev.lacquer.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One packaged service ({@code target/quarkus-app/quarkus-run.jar}) running as a real process
 * on a free loopback port, with the environment the tests run in (the real servers' addresses).
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Path ROOT = Path.of(System.getProperty("lacquer.root", "..")).toAbsolutePath().normalize();

    private final String name;
    private int port;
    private final Map<String, String> extraEnv;
    private Process process;
    private Duration startedIn;

    public ServiceProcess(String name, Map<String, String> extraEnv) {
        this.name = name;
        this.port = freePort();
        this.extraEnv = extraEnv;
    }

    /**
     * Starts the service and waits until it is ready. A free port can be taken by another process
     * between our check and the service's bind; the start is then tried again on another port.
     */
    public ServiceProcess start() {
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce();
            } catch (PortTakenException e) {
                if (attempt == 3) {
                    throw new IllegalStateException(name + " found no free port", e);
                }
                port = freePort();
            }
        }
    }

    private ServiceProcess startOnce() {
        Path appDir = ROOT.resolve(name).resolve("target/quarkus-app");
        if (!Files.isRegularFile(appDir.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException(appDir + "/quarkus-run.jar is missing: package the services first (./mvnw verify)");
        }
        Path logs = ROOT.resolve("e2e-tests/target/e2e-logs");
        try {
            Files.createDirectories(logs);
            AotCache.ensureTrained(ROOT, name);
            // The launch of every local run (jvm.options, the AOT cache while current), on this test JVM's JDK;
            // launch.sh execs the JVM, so the process here (its pid, kill()'s SIGKILL) is the JVM itself.
            ProcessBuilder builder = new ProcessBuilder("bash", ROOT.resolve("local-stack/launch.sh").toString(), name)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile()));
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            builder.environment().put("PORT", Integer.toString(port));
            // Packaged apps run the prod profile, which listens on all interfaces: tests stay on loopback.
            builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
            builder.environment().putIfAbsent("CRON_SECRET", "e2e-cron-secret-" + port + "-0123456789");
            builder.environment().putAll(extraEnv);
            long begin = System.nanoTime();
            process = builder.start();
            awaitReady(Duration.ofSeconds(60));
            startedIn = Duration.ofNanos(System.nanoTime() - begin);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Duration startedIn() {
        return startedIn;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: the process gets no chance to finish anything. */
    public void kill() {
        process.destroyForcibly();
        waitForExit();
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            waitForExit();
        }
    }

    private void waitForExit() {
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                if (logTail().contains("seems to be in use")) {
                    throw new PortTakenException();
                }
                throw new IllegalStateException(name + " exited with " + process.exitValue()
                        + "; see e2e-tests/target/e2e-logs/" + name + ".log");
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(200);
        }
        close();
        throw new IllegalStateException(name + " was not ready within " + timeout);
    }

    private String logTail() {
        try {
            String log = Files.readString(ROOT.resolve("e2e-tests/target/e2e-logs/" + name + ".log"));
            return log.substring(Math.max(0, log.length() - 4000));
        } catch (IOException e) {
            return "";
        }
    }

    private static final class PortTakenException extends RuntimeException {
        PortTakenException() {
            super(null, null, false, false);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
