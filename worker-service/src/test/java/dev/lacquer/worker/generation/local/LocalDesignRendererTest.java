package dev.lacquer.worker.generation.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lacquer.model.DesignSettings;
import dev.lacquer.model.ErrorCode;
import dev.lacquer.model.event.ModelOptions;
import dev.lacquer.worker.generation.DesignRequest;
import dev.lacquer.worker.generation.GeneratedDesigns;
import dev.lacquer.worker.generation.GeneratedDesigns.GeneratedImage;
import dev.lacquer.worker.generation.GenerationException;
import dev.lacquer.worker.imaging.Images;
import dev.lacquer.worker.support.TestPhotos;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LocalDesignRendererTest {

    private static final DesignSettings SETTINGS = new DesignSettings("coffin", "long", "chrome",
            List.of("#1b2a59", "#d4af37"), "celestial stars");

    private final LocalDesignRenderer renderer = new LocalDesignRenderer(1024, Duration.ZERO);

    @Test
    void sameInputGivesByteIdenticalPngs() throws Exception {
        byte[] photo = TestPhotos.jpeg(1200, 900);
        GeneratedDesigns first = renderer.generate(request("navy and gold chrome", SETTINGS, photo, "image/jpeg", 2));
        GeneratedDesigns second = renderer.generate(request("navy and gold chrome", SETTINGS, photo, "image/jpeg", 2));
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(first.images().get(i).png(), second.images().get(i).png(), "image " + i);
        }
        assertEquals(LocalDesignRenderer.MODEL, first.model());
        assertEquals(LocalDesignRenderer.TEMPLATE_VERSION, first.promptTemplateVersion());
        assertNull(first.providerRequestId());
        assertNull(first.usage().totalTokens());
    }

    @Test
    void producesValidPngsScaledToAtMost1024() throws Exception {
        GeneratedDesigns designs = renderer.generate(request("red", SETTINGS, TestPhotos.jpeg(2000, 1500),
                "image/jpeg", 1));
        GeneratedImage image = designs.images().getFirst();
        assertPngSignature(image.png());
        BufferedImage decoded = Images.read(image.png());
        assertEquals(1024, decoded.getWidth());
        assertEquals(768, decoded.getHeight());
        assertEquals(1024, image.width());
        assertEquals(768, image.height());
    }

    @Test
    void smallPhotosKeepTheirSize() throws Exception {
        GeneratedImage image = renderer.generate(request("red", SETTINGS, TestPhotos.png(300, 500), "image/png", 1))
                .images().getFirst();
        BufferedImage decoded = Images.read(image.png());
        assertEquals(300, decoded.getWidth());
        assertEquals(500, decoded.getHeight());
    }

    @Test
    void eachIndexIsAVisiblyDifferentVariation() throws Exception {
        GeneratedDesigns designs = renderer.generate(request("pink and white", SETTINGS, TestPhotos.jpeg(800, 600),
                "image/jpeg", 4));
        for (int i = 0; i < 4; i++) {
            for (int j = i + 1; j < 4; j++) {
                double difference = changedPixelShare(designs.images().get(i).png(), designs.images().get(j).png());
                assertTrue(difference > 0.01, "images " + i + " and " + j + " differ in only " + difference);
            }
        }
    }

    @Test
    void theDesignIsPaintedOverThePhoto() throws Exception {
        byte[] photo = TestPhotos.png(800, 600);
        GeneratedImage image = renderer.generate(request("teal", SETTINGS, photo, "image/png", 1)).images().getFirst();
        double painted = changedPixelShare(photo, image.png());
        assertTrue(painted > 0.02 && painted < 0.5, "share of pixels painted: " + painted);
    }

    @Test
    void differentPromptsAndSettingsGiveDifferentDesigns() throws Exception {
        byte[] photo = TestPhotos.jpeg(640, 480);
        DesignSettings none = DesignSettings.none();
        byte[] a = renderer.generate(request("sunset over the sea", none, photo, "image/jpeg", 1)).images().getFirst().png();
        byte[] b = renderer.generate(request("forest moss", none, photo, "image/jpeg", 1)).images().getFirst().png();
        assertTrue(changedPixelShare(a, b) > 0.01, "prompt-derived colours differ");
    }

    @Test
    void acceptsJpegPngAndWebp() throws Exception {
        assertEquals(1, renderer.generate(request("red", SETTINGS, TestPhotos.jpeg(400, 300), "image/jpeg", 1))
                .images().size());
        assertEquals(1, renderer.generate(request("red", SETTINGS, TestPhotos.png(400, 300), "image/png", 1))
                .images().size());
        GeneratedImage fromWebp = renderer.generate(request("red", SETTINGS, TestPhotos.webp(), "image/webp", 1))
                .images().getFirst();
        BufferedImage decoded = Images.read(fromWebp.png());
        assertEquals(320, decoded.getWidth());
        assertEquals(240, decoded.getHeight());
    }

    @Test
    void bytesThatAreNotAnImageAreInvalidInput() {
        GenerationException e = assertThrows(GenerationException.class,
                () -> renderer.generate(request("red", SETTINGS, "hello".getBytes(), "image/jpeg", 1)));
        assertEquals(ErrorCode.INVALID_INPUT, e.code());
        assertFalse(e.retryable());
        GenerationException truncated = assertThrows(GenerationException.class, () -> renderer.generate(
                request("red", SETTINGS, java.util.Arrays.copyOf(TestPhotos.png(400, 300), 60), "image/png", 1)));
        assertEquals(ErrorCode.INVALID_INPUT, truncated.code());
    }

    @Test
    void everyShapeLengthAndFinishRenders() throws Exception {
        byte[] photo = TestPhotos.jpeg(400, 300);
        List<byte[]> all = new ArrayList<>();
        for (String shape : DesignSettings.SHAPES) {
            for (String finish : DesignSettings.FINISHES) {
                for (String length : DesignSettings.LENGTHS) {
                    DesignSettings settings = new DesignSettings(shape, length, finish, null, null);
                    all.add(renderer.generate(request("lavender", settings, photo, "image/jpeg", 1)).images()
                            .getFirst().png());
                }
            }
        }
        assertEquals(DesignSettings.SHAPES.size() * DesignSettings.FINISHES.size() * DesignSettings.LENGTHS.size(),
                all.stream().map(java.util.Arrays::hashCode).distinct().count(), "every combination looks different");
    }

    @Test
    void reportsProgressAfterEachImageAndIsFast() throws Exception {
        List<Integer> reported = new ArrayList<>();
        byte[] photo = TestPhotos.jpeg(1600, 1200);
        renderer.generate(request("warm up", SETTINGS, photo, "image/jpeg", 1));
        long started = System.nanoTime();
        renderer.generate(new DesignRequest(UUID.randomUUID(), "gold glitter", SETTINGS,
                new DesignRequest.Photo(photo, "image/jpeg"), 4, ModelOptions.defaults(), reported::add));
        long millisPerImage = (System.nanoTime() - started) / 1_000_000 / 4;
        assertEquals(List.of(1, 2, 3, 4), reported);
        assertTrue(millisPerImage < 1000, "an image took " + millisPerImage + " ms");
    }

    @Test
    void stopsWhenInterrupted() {
        LocalDesignRenderer slow = new LocalDesignRenderer(1024, Duration.ofSeconds(10));
        Thread.currentThread().interrupt();
        try {
            assertThrows(InterruptedException.class, () -> slow.generate(request("red", SETTINGS,
                    TestPhotos.jpeg(200, 100), "image/jpeg", 2)));
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void usesTheRequestedTemplateVersion() throws Exception {
        GeneratedDesigns designs = renderer.generate(new DesignRequest(UUID.randomUUID(), "red", SETTINGS,
                new DesignRequest.Photo(TestPhotos.jpeg(200, 100), "image/jpeg"), 1,
                new ModelOptions(null, null, null, "v7"), null));
        assertEquals("v7", designs.promptTemplateVersion());
    }

    private static DesignRequest request(String prompt, DesignSettings settings, byte[] photo, String type, int count) {
        return new DesignRequest(UUID.randomUUID(), prompt, settings, new DesignRequest.Photo(photo, type), count,
                ModelOptions.defaults(), null);
    }

    /** Share of pixels whose colour differs noticeably between two pictures of the same size. */
    private static double changedPixelShare(byte[] a, byte[] b) {
        BufferedImage left = Images.read(a);
        BufferedImage right = Images.read(b);
        assertEquals(left.getWidth(), right.getWidth());
        assertEquals(left.getHeight(), right.getHeight());
        long changed = 0;
        for (int y = 0; y < left.getHeight(); y++) {
            for (int x = 0; x < left.getWidth(); x++) {
                int p = left.getRGB(x, y);
                int q = right.getRGB(x, y);
                int distance = Math.abs(((p >> 16) & 0xFF) - ((q >> 16) & 0xFF))
                        + Math.abs(((p >> 8) & 0xFF) - ((q >> 8) & 0xFF))
                        + Math.abs((p & 0xFF) - (q & 0xFF));
                if (distance > 30) {
                    changed++;
                }
            }
        }
        return (double) changed / ((long) left.getWidth() * left.getHeight());
    }

    private static void assertPngSignature(byte[] bytes) {
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'},
                java.util.Arrays.copyOf(bytes, 8));
    }
}
