package dev.lacquer.worker.imaging;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * Reading photos (PNG, JPEG, and WebP through the TwelveMonkeys plugin), scaling, and writing PNGs. Pure
 * functions over byte arrays, safe to call from many threads; no AWT display needed.
 */
public final class Images {

    /** Pictures larger than this are refused before decoding (a decompression bomb would take the heap). */
    public static final long MAX_SOURCE_PIXELS = 100_000_000L;

    static {
        System.setProperty("java.awt.headless", "true");
        ImageIO.setUseCache(false);
        // Registers plugins found on the class path (TwelveMonkeys WebP) with the class loader that runs the app.
        ImageIO.scanForPlugins();
    }

    private Images() {
    }

    /**
     * Decodes a photo and scales it to fit {@code maxSide} on its longer side (never up), flattened onto white
     * as opaque RGB.
     *
     * @throws UnreadableImageException when the bytes are not a PNG, JPEG or WebP picture, or it is too large
     */
    public static BufferedImage readPhoto(byte[] bytes, int maxSide) {
        if (bytes == null || bytes.length == 0) {
            throw new UnreadableImageException("the photo is empty");
        }
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                throw new UnreadableImageException("the photo is not a PNG, JPEG or WebP image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width <= 0 || height <= 0 || (long) width * height > MAX_SOURCE_PIXELS) {
                    throw new UnreadableImageException("the photo's size " + width + "x" + height + " is not accepted");
                }
                ImageReadParam param = reader.getDefaultReadParam();
                // Decode large photos at a fraction of their size straight away; the final scaling is done below.
                int step = Math.max(1, Math.max(width, height) / (maxSide * 2));
                if (step > 1) {
                    param.setSourceSubsampling(step, step, 0, 0);
                }
                BufferedImage decoded = reader.read(0, param);
                return fit(decoded, maxSide);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof UnreadableImageException unreadable) {
                throw unreadable;
            }
            throw new UnreadableImageException("the photo could not be decoded: " + e.getMessage());
        }
    }

    /** Reads a PNG this service wrote (or any picture ImageIO knows) without scaling. */
    public static BufferedImage read(byte[] bytes) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            if (image == null) {
                throw new UnreadableImageException("not an image");
            }
            return image;
        } catch (IOException e) {
            throw new UnreadableImageException("the image could not be decoded: " + e.getMessage());
        }
    }

    /** Scales to fit {@code maxSide} (never up), into opaque RGB. */
    public static BufferedImage fit(BufferedImage source, int maxSide) {
        int width = source.getWidth();
        int height = source.getHeight();
        double scale = Math.min(1.0, (double) maxSide / Math.max(width, height));
        int targetWidth = Math.max(1, (int) Math.round(width * scale));
        int targetHeight = Math.max(1, (int) Math.round(height * scale));
        BufferedImage current = source;
        // Halve in steps first: one bilinear pass from far larger sizes drops detail and aliases.
        while (current.getWidth() / 2 >= targetWidth && current.getHeight() / 2 >= targetHeight) {
            current = draw(current, current.getWidth() / 2, current.getHeight() / 2);
        }
        if (current.getWidth() != targetWidth || current.getHeight() != targetHeight || current == source
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

    /** PNG bytes of an image; the same pixels always give the same bytes. */
    public static byte[] png(BufferedImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream(image.getWidth() * image.getHeight());
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (param.canWriteCompressed()) {
                // The JDK writer maps quality to the deflate level: 0.5 is a good size for a fraction of the time of 0.0.
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(0.5f);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding failed", e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /**
     * A PNG thumbnail of PNG bytes, at most {@code maxSide} pixels on its longer side. An opaque PNG already that
     * small is its own thumbnail: the same bytes, so nothing is decoded or encoded again (the pixels would come out
     * the same). Anything else is decoded, scaled, flattened onto white and encoded.
     *
     * @throws UnreadableImageException when the bytes are not a picture
     */
    public static byte[] pngThumbnail(byte[] png, int maxSide) {
        boolean fitsAsItIs = PngHeader.of(png)
                .filter(header -> header.opaque() && header.width() <= maxSide && header.height() <= maxSide)
                .isPresent();
        return fitsAsItIs ? png : thumbnail(read(png), maxSide).bytes();
    }

    /** A PNG thumbnail of a picture, at most {@code maxSide} pixels on its longer side. */
    public static EncodedImage thumbnail(BufferedImage image, int maxSide) {
        BufferedImage small = fit(image, maxSide);
        return new EncodedImage(png(small), small.getWidth(), small.getHeight());
    }

    /** Encoded image bytes with their size in pixels. */
    public record EncodedImage(byte[] bytes, int width, int height) {
    }
}
