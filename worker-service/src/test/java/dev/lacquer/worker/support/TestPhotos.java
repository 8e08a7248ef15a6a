package dev.lacquer.worker.support;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Real photos for tests: a drawn hand as JPEG or PNG, and a small WebP shipped as a test resource. */
public final class TestPhotos {

    private TestPhotos() {
    }

    /** A hand-like picture: a gradient background, a palm and five fingers. */
    public static BufferedImage hand(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(0, 0, new Color(0xDCE6F0), 0, height, new Color(0xB8C4D0)));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(0xE2B496));
        double finger = width * 0.09;
        double[][] fingers = {{0.24, 0.45}, {0.37, 0.3}, {0.5, 0.25}, {0.63, 0.3}, {0.8, 0.6}};
        for (double[] f : fingers) {
            g.fill(new RoundRectangle2D.Double(width * f[0] - finger / 2, height * f[1], finger, height, finger, finger));
        }
        g.fill(new RoundRectangle2D.Double(width * 0.18, height * 0.62, width * 0.56, height, width * 0.2, width * 0.2));
        g.dispose();
        return image;
    }

    public static byte[] jpeg(int width, int height) {
        return encode(hand(width, height), "jpeg");
    }

    public static byte[] png(int width, int height) {
        return encode(hand(width, height), "png");
    }

    /** A 320×240 lossy WebP (made with cwebp from a drawn hand). */
    public static byte[] webp() {
        try (InputStream in = TestPhotos.class.getResourceAsStream("/photos/hand.webp")) {
            if (in == null) {
                throw new IllegalStateException("test resource photos/hand.webp is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
