package dev.lacquer.api.photo;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * Real photo files in {@code src/test/resources/photos}: {@code hand-exif6.jpg} (400×300 pixels stored, EXIF
 * orientation 6, GPS position, written by exiftool), {@code hand-exif8.png} (eXIf chunk, orientation 8),
 * {@code hand-exif3.webp} (EXIF chunk, orientation 3) and {@code hand.webp} (320×240, no EXIF). The stored pixels of
 * the JPEG and PNG have a red block in their top-left corner and a blue one in the bottom-right.
 */
final class PhotoFixtures {

    private PhotoFixtures() {
    }

    static byte[] read(String name) {
        try (InputStream in = PhotoFixtures.class.getResourceAsStream("/photos/" + name)) {
            if (in == null) {
                throw new IllegalStateException("test resource photos/" + name + " is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BufferedImage decode(byte[] bytes) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            if (image == null) {
                throw new IllegalStateException("not an image");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] png(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(new Color(0xE8C4A8));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(0xC89878));
        g.fillOval(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        return encodedPng(image);
    }

    /** A PNG of random pixels: it does not compress, so it is about width × height × 3 bytes. */
    static byte[] noisyPng(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(7);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return encodedPng(image);
    }

    private static byte[] encodedPng(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The first half of a file: the header says "image", the data stops short. */
    static byte[] truncated(byte[] bytes) {
        return Arrays.copyOf(bytes, bytes.length / 2);
    }

    /** A PDF's opening bytes: a real file, just not a picture. */
    static byte[] notAnImage() {
        return "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".getBytes();
    }

    /** True when the pixel is clearly red (JPEG blurs colours a little). */
    static boolean red(BufferedImage image, int x, int y) {
        Color c = new Color(image.getRGB(x, y));
        return c.getRed() > 200 && c.getGreen() < 80 && c.getBlue() < 80;
    }

    static boolean blue(BufferedImage image, int x, int y) {
        Color c = new Color(image.getRGB(x, y));
        return c.getBlue() > 200 && c.getRed() < 80 && c.getGreen() < 80;
    }
}
