package dev.lacquer.worker.generation.local;

import dev.lacquer.model.DesignSettings;
import dev.lacquer.model.event.GenerationCompleted.Usage;
import dev.lacquer.worker.config.WorkerConfig;
import dev.lacquer.worker.generation.DesignGenerator;
import dev.lacquer.worker.generation.DesignRequest;
import dev.lacquer.worker.generation.GeneratedDesigns;
import dev.lacquer.worker.generation.GeneratedDesigns.GeneratedImage;
import dev.lacquer.worker.generation.GenerationException;
import dev.lacquer.worker.generation.local.NailPainter.Design;
import dev.lacquer.worker.generation.local.NailPainter.Finish;
import dev.lacquer.worker.generation.local.NailPainter.Length;
import dev.lacquer.worker.generation.local.NailPainter.Motif;
import dev.lacquer.worker.generation.local.NailPainter.NailShape;
import dev.lacquer.worker.generation.local.NailPainter.Pattern;
import dev.lacquer.worker.imaging.Images;
import dev.lacquer.worker.imaging.UnreadableImageException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The generator that needs no model: it paints nail designs over the user's photo with Java2D. Honest about what
 * it is (the model is reported as {@value #MODEL}), deterministic (the same prompt, settings, photo and image
 * index give byte-identical PNGs), and fast (tens of milliseconds an image). Used for local runs, tests, and as
 * the fallback when no image model is configured.
 */
@ApplicationScoped
public class LocalDesignRenderer implements DesignGenerator {

    public static final String NAME = "local";
    public static final String MODEL = "local-renderer";
    public static final String TEMPLATE_VERSION = "local-v1";

    private final int maxSize;
    private final Duration delay;

    @Inject
    LocalDesignRenderer(WorkerConfig config) {
        this(config.localRenderer().maxSize(), config.localRenderer().delay());
    }

    /** For unit tests and benchmarks that run without CDI. */
    public LocalDesignRenderer(int maxSize, Duration delay) {
        this.maxSize = maxSize;
        this.delay = delay;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GeneratedDesigns generate(DesignRequest request) throws InterruptedException {
        BufferedImage photo;
        try {
            photo = Images.readPhoto(request.photo().bytes(), maxSize);
        } catch (UnreadableImageException e) {
            if (Thread.currentThread().isInterrupted()) {
                // ImageIO gives up on interrupted threads: that says nothing about the photo.
                throw new InterruptedException("generation interrupted");
            }
            throw GenerationException.invalidInput(e.getMessage());
        }
        DesignSettings settings = request.settings();
        byte[] digest = digest(request.prompt(), settings, request.photo().bytes());
        long inputSeed = ByteBuffer.wrap(digest).getLong();
        long promptSeed = ByteBuffer.wrap(sha256(request.prompt().getBytes(StandardCharsets.UTF_8))).getLong();
        Palette palette = Palette.of(settings.colors(), request.prompt(), promptSeed);
        NailShape shape = NailPainter.parse(NailShape.class, settings.shape(), NailShape.ALMOND);
        Length length = NailPainter.parse(Length.class, settings.length(), Length.MEDIUM);
        Finish finish = NailPainter.parse(Finish.class, settings.finish(), Finish.GLOSSY);
        Motif motif = motif(settings.style(), request.prompt());
        int patternBase = Math.floorMod(hash(settings.style()) + hash(request.prompt()), Pattern.values().length);

        List<GeneratedImage> images = new ArrayList<>(request.imageCount());
        for (int index = 0; index < request.imageCount(); index++) {
            if (Thread.interrupted()) {
                throw new InterruptedException("generation interrupted");
            }
            if (!delay.isZero()) {
                Thread.sleep(delay);
            }
            long started = System.nanoTime();
            Pattern pattern = Pattern.values()[(patternBase + index) % Pattern.values().length];
            Design design = new Design(shape, length, finish, pattern, motif, palette, index,
                    caption(shape, length, finish, settings.style(), index));
            Random random = new Random(inputSeed ^ (0x9E3779B97F4A7C15L * (index + 1)));
            BufferedImage painted = NailPainter.paint(photo, design, random);
            images.add(new GeneratedImage(Images.png(painted), painted.getWidth(), painted.getHeight()));
            Log.debugf("job %s: rendered image %d (%s, %s) in %d ms", request.jobId(), index, pattern, finish,
                    (System.nanoTime() - started) / 1_000_000);
            request.listener().imageGenerated(index + 1);
        }
        String template = request.modelOptions().promptTemplateVersion();
        return new GeneratedDesigns(images, MODEL, template == null || template.isBlank() ? TEMPLATE_VERSION : template,
                Usage.none(), null);
    }

    private static Motif motif(String style, String prompt) {
        String text = ((style == null ? "" : style) + " " + (prompt == null ? "" : prompt)).toLowerCase(Locale.ROOT);
        if (text.contains("flower") || text.contains("floral") || text.contains("daisy") || text.contains("bloom")) {
            return Motif.FLOWERS;
        }
        if (text.contains("heart") || text.contains("valentine") || text.contains("love")) {
            return Motif.HEARTS;
        }
        if (text.contains("star") || text.contains("celestial") || text.contains("galaxy")) {
            return Motif.STARS;
        }
        if (text.contains("stripe") || text.contains("line") || text.contains("minimal")) {
            return Motif.STRIPES;
        }
        if (text.contains("dot") || text.contains("polka")) {
            return Motif.DOTS;
        }
        return style == null || style.isBlank() ? Motif.NONE : Motif.DOTS;
    }

    private static String caption(NailShape shape, Length length, Finish finish, String style, int index) {
        StringBuilder text = new StringBuilder("VARIATION ").append(index + 1)
                .append(" | ").append(shape).append(" | ").append(length).append(" | ").append(finish);
        if (style != null && !style.isBlank()) {
            String clean = style.replaceAll("[^A-Za-z0-9 #./-]", " ").trim();
            text.append(" | ").append(clean, 0, Math.min(clean.length(), 24));
        }
        return text.append(" | LOCAL PREVIEW").toString();
    }

    private static int hash(String text) {
        if (text == null) {
            return 0;
        }
        byte[] digest = sha256(text.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(digest).getInt() & 0x7FFFFFFF;
    }

    private static byte[] digest(String prompt, DesignSettings settings, byte[] photo) {
        MessageDigest sha = sha256();
        for (String part : new String[] {prompt, settings.shape(), settings.length(), settings.finish(),
                settings.colors() == null ? null : String.join(",", settings.colors()), settings.style()}) {
            sha.update((part == null ? "" : part).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        }
        sha.update(photo);
        return sha.digest();
    }

    private static byte[] sha256(byte[] bytes) {
        return sha256().digest(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
