package dev.lacquer.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One packaged Quarkus service ({@code target/quarkus-app}, started by local-stack/launch.sh) run by the benchmark. */
public final class ServiceProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final Process process;
    private final long launchedNanos;
    private final Path log;

    private ServiceProcess(String name, int port, Process process, long launchedNanos, Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.launchedNanos = launchedNanos;
        this.log = log;
    }

    /**
     * Launches the service as every local run does: {@code local-stack/launch.sh MODULE} (its module's jvm.options,
     * its JDK AOT cache while current, the JVM of {@code javaHome}), with {@code env} and {@code PORT} on top of
     * this process's environment; its output is appended to {@code log}. launch.sh execs the JVM, so this process,
     * its pid and the signals sent to it are the JVM's.
     */
    public static ServiceProcess launch(Path repo, String module, Path javaHome, int port, Map<String, String> env,
                                        Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("bash", repo.resolve("local-stack/launch.sh").toString(), module)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        builder.environment().put("JAVA_HOME", javaHome.toString());
        builder.environment().put("PORT", Integer.toString(port));
        long launched = System.nanoTime();
        Process process = builder.start();
        return new ServiceProcess(module, port, process, launched, log);
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /**
     * Waits until {@code /q/health/ready} answers 200 and returns the seconds since launch.
     *
     * @throws IllegalStateException when the process exits or is not ready in time
     */
    public double awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(3)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return (System.nanoTime() - launchedNanos) / 1e9;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(name + " not ready after " + timeout.toSeconds() + " s; see " + log);
    }

    /** SIGTERM, then SIGKILL after {@code graceSeconds}. */
    public void stop(int graceSeconds) throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
            kill();
        }
    }

    /** SIGKILL, and wait until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGSTOP: the JVM keeps its state (compiled code, heap, connections) but runs nothing until {@link #resume}. */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause}. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + name + " " + pid() + " failed");
        }
    }

    public long rssBytes() {
        return Procs.rssBytes(pid());
    }

    public long peakRssBytes() {
        return Procs.peakRssBytes(pid());
    }

    /** The Prometheus text of /q/metrics, or "" when it cannot be read. */
    public String metrics() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                    .timeout(Duration.ofSeconds(5)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Sum of the samples of one metric whose label text contains every one of {@code labels}. */
    public static double metricSum(String text, String metric, String... labels) {
        double sum = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(metric)) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String head = line.substring(0, space);
            if (!(head.equals(metric) || head.startsWith(metric + "{"))) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= head.contains(label);
            }
            if (all) {
                try {
                    sum += Double.parseDouble(line.substring(space + 1).trim());
                    found = true;
                } catch (NumberFormatException e) {
                    // NaN or the like
                }
            }
        }
        return found ? sum : Double.NaN;
    }

    /** Heap in use (bytes), from jvm_memory_used_bytes{area="heap"}. */
    public long heapUsedBytes() {
        double value = metricSum(metrics(), "jvm_memory_used_bytes", "area=\"heap\"");
        return Double.isNaN(value) ? -1 : (long) value;
    }
}
