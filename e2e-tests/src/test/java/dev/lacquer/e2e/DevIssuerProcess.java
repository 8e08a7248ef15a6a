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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An own instance of the local stack's dev OIDC issuer ({@code local-stack/target/local-stack.jar}, built by
 * {@code stack.sh start}) on a free loopback port, for tests that need other settings than the stack's.
 */
final class DevIssuerProcess implements AutoCloseable {

    static final Path JAR = Path.of(System.getProperty("lacquer.root", "..")).toAbsolutePath().normalize()
            .resolve("local-stack/target/local-stack.jar");

    private final Process process;
    private final String issuer;
    private final Path dataDir;

    private DevIssuerProcess(Process process, String issuer, Path dataDir) {
        this.process = process;
        this.issuer = issuer;
        this.dataDir = dataDir;
    }

    /** Starts the issuer with these extra options (e.g. {@code --code-ttl 1}) and waits for its discovery document. */
    static DevIssuerProcess start(String... options) {
        int port = freePort();
        try {
            Path data = Files.createTempDirectory("dev-issuer");
            Path log = Path.of(System.getProperty("lacquer.root", "..")).toAbsolutePath().normalize()
                    .resolve("e2e-tests/target/e2e-logs");
            Files.createDirectories(log);
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-jar", JAR.toString(),
                    "--host", "127.0.0.1", "--port", Integer.toString(port), "--data-dir", data.toString()));
            command.addAll(List.of(options));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.resolve("dev-issuer.log").toFile()));
            builder.environment().remove("LACQUER_DEV_PASSWORD");
            DevIssuerProcess started = new DevIssuerProcess(builder.start(),
                    "http://127.0.0.1:" + port + "/realms/lacquer", data);
            started.awaitReady();
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String issuer() {
        return issuer;
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest discovery = HttpRequest.newBuilder(URI.create(issuer + "/.well-known/openid-configuration"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                if (http.send(discovery, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        throw new IllegalStateException("the dev issuer did not start; see e2e-tests/target/e2e-logs/dev-issuer.log");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(dataDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind
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
