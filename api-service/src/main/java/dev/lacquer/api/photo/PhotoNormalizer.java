package dev.lacquer.api.photo;

import jakarta.enterprise.context.ApplicationScoped;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
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

    /**
     * Rows and columns a stored-as-uploaded JPEG is decoded at to prove it whole: one pixel in 8 × 8 is copied out,
     * and a row of the last 8 is still read, so the last band of blocks, and with it every byte of image data, is
     * decoded (a JPEG's blocks are 8 or 16 rows high).
     */
    private static final int VALIDATION_STEP = 8;

    private final PhotoConfig config;

    PhotoNormalizer(PhotoConfig config) {
        this.config = config;
    }

    /** @param contentType the format read from the bytes ({@link ImageFormats#sniff}) */
    public Photo normalize(byte[] bytes, String contentType) {
        int orientation = ExifOrientation.of(bytes, contentType);
        try (OpenedImage image = OpenedImage.of(bytes, config.maxPixels())) {
            if (storableAsUploaded(bytes, contentType, image, orientation)) {
                Optional<byte[]> stripped = JpegMetadata.strip(bytes);
                if (stripped.isPresent()) {
                    image.read(VALIDATION_STEP);
                    return new Photo(stripped.get(), ImageFormats.JPEG);
                }
            }
            // Decode large photos at a fraction of their size at once; the final scaling keeps the detail.
            BufferedImage decoded = image.read(Math.max(1, Math.max(image.width(), image.height())
                    / (config.maxSide() * 2)));
            BufferedImage fitted = fit(orient(decoded, orientation), config.maxSide());
            return ImageFormats.PNG.equals(contentType)
                    ? new Photo(png(fitted), ImageFormats.PNG)
                    : new Photo(jpeg(fitted, config.jpegQuality()), ImageFormats.JPEG);
        }
    }

    /**
     * A JPEG that is upright, within the longest side and not larger than one byte per pixel (re-encoding it would
     * save little) is stored as uploaded, less its metadata, once it decodes whole: what writing it again would
     * give, without the cost of scaling and encoding on the request thread.
     */
    private boolean storableAsUploaded(byte[] bytes, String contentType, OpenedImage image, int orientation) {
        boolean upright = orientation <= ExifOrientation.UPRIGHT || orientation > 8;
        return ImageFormats.JPEG.equals(contentType) && upright
                && Math.max(image.width(), image.height()) <= config.maxSide()
                && bytes.length <= (long) image.width() * image.height();
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
}
