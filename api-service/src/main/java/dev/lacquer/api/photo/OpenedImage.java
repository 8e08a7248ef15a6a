package dev.lacquer.api.photo;

import dev.lacquer.api.problem.ApiProblem;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * An uploaded picture whose header was read: its size is known before any pixel is decoded, so a picture with too
 * many pixels is refused (413) before decoding, and the caller chooses how many pixels to keep. Damaged or
 * incomplete pictures answer 400, whether found in the header or while decoding. Read once, then close.
 */
final class OpenedImage implements AutoCloseable {

    private final ImageInputStream input;
    private final ImageReader reader;
    private final AtomicBoolean truncated = new AtomicBoolean();
    private final int width;
    private final int height;

    private OpenedImage(ImageInputStream input, ImageReader reader, int width, int height) {
        this.input = input;
        this.reader = reader;
        this.width = width;
        this.height = height;
        // The JDK's JPEG reader only warns about a file that ends early, and paints the rest grey.
        reader.addIIOReadWarningListener((source, warning) -> {
            if (warning != null && warning.toLowerCase(Locale.ROOT).contains("premature end")) {
                truncated.set(true);
            }
        });
    }

    static OpenedImage of(byte[] bytes, long maxPixels) {
        ImageInputStream input = null;
        ImageReader reader = null;
        try {
            input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes));
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                throw corrupt();
            }
            reader = readers.next();
            reader.setInput(input, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width <= 0 || height <= 0) {
                throw corrupt();
            }
            if ((long) width * height > maxPixels) {
                throw ApiProblem.tooLarge("The photo has " + width + "×" + height + " pixels; at most "
                        + maxPixels + " are accepted.");
            }
            return new OpenedImage(input, reader, width, height);
        } catch (IOException | RuntimeException e) {
            close(input, reader);
            throw e instanceof ApiProblem problem ? problem : corrupt();
        }
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    /**
     * Decodes the whole picture, keeping one pixel in {@code step} × {@code step}: every row is still decoded, so a
     * damaged or incomplete file is found at any step, while a larger step copies fewer pixels.
     */
    BufferedImage read(int step) {
        try {
            ImageReadParam param = reader.getDefaultReadParam();
            if (step > 1) {
                param.setSourceSubsampling(step, step, 0, 0);
            }
            BufferedImage image = reader.read(0, param);
            if (image == null || truncated.get()) {
                throw corrupt();
            }
            return image;
        } catch (ApiProblem problem) {
            throw problem;
        } catch (IOException | RuntimeException e) {
            throw corrupt();
        }
    }

    @Override
    public void close() {
        close(input, reader);
    }

    private static void close(ImageInputStream input, ImageReader reader) {
        if (reader != null) {
            reader.dispose();
        }
        if (input != null) {
            try {
                input.close();
            } catch (IOException ignored) {
                // a stream over a byte array holds nothing to release
            }
        }
    }

    private static ApiProblem corrupt() {
        return ApiProblem.badRequest("The photo could not be read: the file is damaged or incomplete.");
    }
}
