package dev.lacquer.api.photo;

import dev.lacquer.api.problem.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * Turns the bytes a user uploaded into the photo that is stored: decoded (PNG, JPEG, WebP), turned upright by its
 * EXIF orientation, scaled to at most {@code lacquer.photos.max-side} on the longer side, flattened onto white and
 * written again: JPEG for JPEG and WebP photos, PNG for PNG ones. Writing again also drops the metadata, GPS position
 * included. An upright JPEG that needs none of that is stored as uploaded with its metadata segments removed
 * ({@link JpegMetadata}). A picture that does not decode answers 400, one with too many pixels 413.
 */
@ApplicationScoped
public class PhotoNormalizer {

    static {
        System.setProperty("java.awt.headless", "true");
        ImageIO.setUseCache(false);
        // TwelveMonkeys' WebP reader, registered with the class loader that runs the application.
        ImageIO.scanForPlugins();
    }

    private final PhotoConfig config;

    PhotoNormalizer(PhotoConfig config) {
        this.config = config;
    }

    /** @param contentType the format read from the bytes ({@link ImageFormats#sniff}) */
    public Photo normalize(byte[] bytes, String contentType) {
        BufferedImage decoded = decode(bytes);
        int orientation = ExifOrientation.of(bytes, contentType);
        if (storableAsUploaded(bytes, contentType, decoded, orientation)) {
            Optional<byte[]> stripped = JpegMetadata.strip(bytes);
            if (stripped.isPresent()) {
                return new Photo(stripped.get(), ImageFormats.JPEG);
            }
        }
        BufferedImage upright = orient(decoded, orientation);
        BufferedImage fitted = fit(upright, config.maxSide());
        return ImageFormats.PNG.equals(contentType)
                ? new Photo(png(fitted), ImageFormats.PNG)
                : new Photo(jpeg(fitted, config.jpegQuality()), ImageFormats.JPEG);
    }

    /**
     * A JPEG that decodes whole, is upright, within the longest side and not larger than one byte per
     * pixel (re-encoding it would save little) is stored as uploaded, less its metadata: what writing
     * it again would give, without the cost of scaling and encoding on the request thread.
     */
    private boolean storableAsUploaded(byte[] bytes, String contentType, BufferedImage decoded, int orientation) {
        boolean upright = orientation <= ExifOrientation.UPRIGHT || orientation > 8;
        return ImageFormats.JPEG.equals(contentType) && upright
                && Math.max(decoded.getWidth(), decoded.getHeight()) <= config.maxSide()
                && bytes.length <= (long) decoded.getWidth() * decoded.getHeight();
    }

    private BufferedImage decode(byte[] bytes) {
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                throw corrupt();
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, true, true);
                AtomicBoolean truncated = new AtomicBoolean();
                // The JDK's JPEG reader only warns about a file that ends early, and paints the rest grey.
                reader.addIIOReadWarningListener((source, warning) -> {
                    if (warning != null && warning.toLowerCase(java.util.Locale.ROOT).contains("premature end")) {
                        truncated.set(true);
                    }
                });
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width <= 0 || height <= 0) {
                    throw corrupt();
                }
                if ((long) width * height > config.maxPixels()) {
                    throw ApiProblem.tooLarge("The photo has " + width + "×" + height + " pixels; at most "
                            + config.maxPixels() + " are accepted.");
                }
                ImageReadParam param = reader.getDefaultReadParam();
                // Decode large photos at a fraction of their size at once; the final scaling keeps the detail.
                int step = Math.max(1, Math.max(width, height) / (config.maxSide() * 2));
                if (step > 1) {
                    param.setSourceSubsampling(step, step, 0, 0);
                }
                BufferedImage image = reader.read(0, param);
                if (image == null || truncated.get()) {
                    throw corrupt();
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (ApiProblem problem) {
            throw problem;
        } catch (IOException | RuntimeException e) {
            throw corrupt();
        }
    }

    /** Applies a TIFF orientation (1–8): the result is what a viewer that honours EXIF shows. */
    static BufferedImage orient(BufferedImage source, int orientation) {
        if (orientation <= ExifOrientation.UPRIGHT || orientation > 8) {
            return source;
        }
        int w = source.getWidth();
        int h = source.getHeight();
        boolean swaps = orientation >= 5;
        AffineTransform t = switch (orientation) {
            case 2 -> new AffineTransform(-1, 0, 0, 1, w, 0);
            case 3 -> new AffineTransform(-1, 0, 0, -1, w, h);
            case 4 -> new AffineTransform(1, 0, 0, -1, 0, h);
            case 5 -> new AffineTransform(0, 1, 1, 0, 0, 0);
            case 6 -> new AffineTransform(0, 1, -1, 0, h, 0);
            case 7 -> new AffineTransform(0, -1, -1, 0, h, w);
            default -> new AffineTransform(0, -1, 1, 0, 0, w);
        };
        BufferedImage target = new BufferedImage(swaps ? h : w, swaps ? w : h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = target.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, target.getWidth(), target.getHeight());
            g.drawImage(source, t, null);
        } finally {
            g.dispose();
        }
        return target;
    }

    /** Scales to fit {@code maxSide} (never up) into opaque RGB, halving first so detail survives. */
    static BufferedImage fit(BufferedImage source, int maxSide) {
        double scale = Math.min(1.0, (double) maxSide / Math.max(source.getWidth(), source.getHeight()));
        int targetWidth = Math.max(1, (int) Math.round(source.getWidth() * scale));
        int targetHeight = Math.max(1, (int) Math.round(source.getHeight() * scale));
        BufferedImage current = source;
        while (current.getWidth() / 2 >= targetWidth && current.getHeight() / 2 >= targetHeight) {
            current = draw(current, current.getWidth() / 2, current.getHeight() / 2);
        }
        if (current.getWidth() != targetWidth || current.getHeight() != targetHeight
                || current.getType() != BufferedImage.TYPE_INT_RGB) {
            current = draw(current, targetWidth, targetHeight);
        }
        return current;
    }

    private static BufferedImage draw(BufferedImage source, int width, int height) {
        BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = target.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(source, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return target;
    }

    private static byte[] jpeg(BufferedImage image, float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("JPEG encoding failed", e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding failed", e);
        }
        return out.toByteArray();
    }

    private static ApiProblem corrupt() {
        return ApiProblem.badRequest("The photo could not be read: the file is damaged or incomplete.");
    }
}
