package dev.lacquer.worker.generation.benchmark;

import dev.lacquer.model.event.GenerationCompleted.Usage;
import dev.lacquer.worker.generation.DesignGenerator;
import dev.lacquer.worker.generation.DesignRequest;
import dev.lacquer.worker.generation.GeneratedDesigns;
import dev.lacquer.worker.generation.GeneratedDesigns.GeneratedImage;
import dev.lacquer.worker.imaging.Images;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A stand-in for the image model, for the benchmark (benchmark/run.sh) only: it waits a configured time per job
 * and answers small real PNGs, so a benchmark measures Lacquer's own plumbing (Kafka, PostgreSQL, the object
 * store, the services) and not a model. Selected only by {@code lacquer.worker.generator=benchmark}
 * ({@code LACQUER_GENERATOR=benchmark}); never the default. Reports the model as {@value #MODEL}, so its
 * designs cannot pass for real ones.
 *
 * <p>{@code lacquer.worker.benchmark.latency} ({@code LACQUER_WORKER_BENCHMARK_LATENCY}, default {@code 0s}) is
 * the time one {@link #generate} call takes, spread evenly over the images (a 2 s latency with 2 images sleeps
 * 1 s before each). {@code lacquer.worker.benchmark.size} (default 256) is the side of the square PNGs. The
 * images are drawn and encoded once, when the first job needs them; every job gets the same bytes for the same
 * image index. The sleep ends at once when the thread is interrupted (cancel, shutdown).
 */
@ApplicationScoped
public class BenchmarkGenerator implements DesignGenerator {

    public static final String NAME = "benchmark";
    public static final String MODEL = "benchmark-stand-in";
    public static final String TEMPLATE_VERSION = "benchmark-v1";
    /** Distinct images precomputed; image index i gets image i modulo this. */
    static final int VARIANTS = 4;

    private final Duration latency;
    private final int size;
    private volatile List<GeneratedImage> images;

    @Inject
    BenchmarkGenerator(@ConfigProperty(name = "lacquer.worker.benchmark.latency", defaultValue = "0s") Duration latency,
                       @ConfigProperty(name = "lacquer.worker.benchmark.size", defaultValue = "256") int size) {
        if (latency.isNegative()) {
            throw new IllegalArgumentException("lacquer.worker.benchmark.latency must not be negative");
        }
        if (size < 8 || size > 2048) {
            throw new IllegalArgumentException("lacquer.worker.benchmark.size must be 8..2048");
        }
        this.latency = latency;
        this.size = size;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GeneratedDesigns generate(DesignRequest request) throws InterruptedException {
        List<GeneratedImage> variants = images();
        int count = request.imageCount();
        long totalNanos = latency.toNanos();
        long started = System.nanoTime();
        List<GeneratedImage> result = new ArrayList<>(count);
        for (int index = 0; index < count; index++) {
            if (Thread.interrupted()) {
                throw new InterruptedException("generation interrupted");
            }
            // Sleep until this image's share of the latency has passed (no drift from per-image overhead).
            long dueNanos = totalNanos * (index + 1) / count;
            long waitNanos = dueNanos - (System.nanoTime() - started);
            if (waitNanos > 0) {
                Thread.sleep(Duration.ofNanos(waitNanos));
            }
            result.add(variants.get(index % VARIANTS));
            request.listener().imageGenerated(index + 1);
        }
        return new GeneratedDesigns(result, MODEL, TEMPLATE_VERSION, Usage.none(), null);
    }

    private List<GeneratedImage> images() {
        List<GeneratedImage> ready = images;
        if (ready == null) {
            synchronized (this) {
                ready = images;
                if (ready == null) {
                    List<GeneratedImage> drawn = new ArrayList<>(VARIANTS);
                    for (int variant = 0; variant < VARIANTS; variant++) {
                        drawn.add(new GeneratedImage(Images.png(draw(variant)), size, size));
                    }
                    images = ready = List.copyOf(drawn);
                }
            }
        }
        return ready;
    }

    /** A diagonal two-colour stripe pattern, a different pair of colours per variant. */
    private BufferedImage draw(int variant) {
        int[][] palettes = {{0xF4E1D2, 0xC0C0FF}, {0x1B2A59, 0xD4AF37}, {0xE8A0B4, 0xFFFFFF}, {0x2E8B57, 0xF0E68C}};
        int[] colours = palettes[variant % palettes.length];
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        int stripe = Math.max(2, size / 16);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                image.setRGB(x, y, colours[((x + y) / stripe) % 2]);
            }
        }
        return image;
    }
}
