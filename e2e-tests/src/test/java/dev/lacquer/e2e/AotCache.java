package dev.lacquer.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The services' JDK AOT caches for the tests' launches: {@code local-stack/aot-train.sh} (one training run of the
 * packaged jar against the servers of the environment, skipped while the cache is current), once per service and
 * test JVM. Training never fails a test: without a cache the service starts as before.
 */
final class AotCache {

    private static final Set<String> CHECKED = new HashSet<>();

    private AotCache() {
    }

    static synchronized void ensureTrained(Path root, String module) {
        if (!CHECKED.add(module)) {
            return;
        }
        ProcessBuilder builder = new ProcessBuilder("bash", root.resolve("local-stack/aot-train.sh").toString(), module)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        root.resolve("e2e-tests/target/e2e-logs/aot-train.log").toFile()));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        try {
            Process training = builder.start();
            if (!training.waitFor(5, TimeUnit.MINUTES)) {
                training.destroyForcibly().waitFor();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
