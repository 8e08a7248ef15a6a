package dev.lacquer.worker.generation.benchmark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lacquer.worker.generation.DesignRequest;
import dev.lacquer.worker.generation.GeneratedDesigns;
import dev.lacquer.worker.imaging.Images;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BenchmarkGeneratorTest {

    private static final byte[] PHOTO = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};

    @Test
    void answersRealPngsOfTheConfiguredSizeAndReportsEachImage() throws Exception {
        List<Integer> progress = new ArrayList<>();
        GeneratedDesigns designs = new BenchmarkGenerator(Duration.ZERO, 64).generate(request(3, progress::add));
        assertEquals(3, designs.images().size());
        for (GeneratedDesigns.GeneratedImage image : designs.images()) {
            BufferedImage decoded = Images.read(image.png());
            assertEquals(64, decoded.getWidth());
            assertEquals(64, decoded.getHeight());
            assertEquals(64, image.width());
        }
        assertEquals(List.of(1, 2, 3), progress);
        assertEquals(BenchmarkGenerator.MODEL, designs.model());
        assertEquals(BenchmarkGenerator.TEMPLATE_VERSION, designs.promptTemplateVersion());
    }

    @Test
    void imagesArePrecomputedOnce() throws Exception {
        BenchmarkGenerator generator = new BenchmarkGenerator(Duration.ZERO, 32);
        byte[] first = generator.generate(request(1, done -> { })).images().getFirst().png();
        byte[] again = generator.generate(request(1, done -> { })).images().getFirst().png();
        assertTrue(first == again, "the same precomputed bytes are handed out");
        assertArrayEquals(first, again);
    }

    @Test
    void takesTheConfiguredLatencySpreadOverTheImages() throws Exception {
        List<Long> at = new ArrayList<>();
        long start = System.nanoTime();
        new BenchmarkGenerator(Duration.ofMillis(300), 16)
                .generate(request(2, done -> at.add((System.nanoTime() - start) / 1_000_000)));
        long took = (System.nanoTime() - start) / 1_000_000;
        assertTrue(took >= 300, "took " + took + " ms");
        assertTrue(at.get(0) >= 150, "first image after half the latency, was " + at.get(0) + " ms");
    }

    @Test
    void anInterruptEndsTheWaitAtOnce() throws Exception {
        BenchmarkGenerator generator = new BenchmarkGenerator(Duration.ofSeconds(30), 16);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread thread = Thread.ofVirtual().start(() -> {
            try {
                generator.generate(request(2, done -> { }));
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        Thread.sleep(100);
        long interruptedAt = System.nanoTime();
        thread.interrupt();
        Throwable thrown = outcome.get(5, TimeUnit.SECONDS);
        assertTrue(thrown instanceof InterruptedException, "thrown: " + thrown);
        assertTrue((System.nanoTime() - interruptedAt) < TimeUnit.SECONDS.toNanos(2));
    }

    @Test
    void refusesANegativeLatency() {
        assertThrows(IllegalArgumentException.class, () -> new BenchmarkGenerator(Duration.ofMillis(-1), 64));
    }

    private static DesignRequest request(int images, dev.lacquer.worker.generation.GenerationListener listener) {
        return new DesignRequest(UUID.randomUUID(), "benchmark", null, new DesignRequest.Photo(PHOTO, "image/jpeg"),
                images, null, listener);
    }
}
