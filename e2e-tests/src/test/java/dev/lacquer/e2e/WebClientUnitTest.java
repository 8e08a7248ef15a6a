package dev.lacquer.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The reference web client's rules that need no browser or server ({@code e2e-tests/browser/unit/*.test.mjs}, Node's
 * own test runner against the modules api-service serves): run here so {@code ./lacquer test} runs them too.
 */
class WebClientUnitTest {

    @Test
    void nodeTestsOfTheWebClientPass() throws IOException, InterruptedException {
        Path log = Files.createTempFile("web-client-unit", ".log");
        Process process;
        try {
            process = new ProcessBuilder("node", "--test", "unit/").directory(BrowserScript.DIR.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("node is missing: apt-get install -y nodejs (.ci/run does)", e);
        }
        boolean ended = process.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        System.out.println(output);
        if (!ended) {
            fail("node --test e2e-tests/browser/unit/ took longer than 60 s");
        }
        assertEquals(0, process.exitValue(), "node --test e2e-tests/browser/unit/ failed:\n" + output);
    }
}
