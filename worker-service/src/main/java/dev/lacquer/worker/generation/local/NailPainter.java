package dev.lacquer.worker.generation.local;

import static dev.lacquer.worker.generation.local.Palette.mix;
import static dev.lacquer.worker.generation.local.Palette.withAlpha;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.LinearGradientPaint;
import java.awt.RadialGradientPaint;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.Locale;
import java.util.Random;

/**
 * Paints five nails over a photo with Java2D: shape and length from the design settings, a pattern that changes
 * with the variation index, the finish (glossy highlights, chrome bands, glitter speckles, matte grain, satin
 * sheen), a motif from the style text, and a caption. Every random choice comes from the {@link Random} passed
 * in, so the same inputs paint the same pixels.
 */
final class NailPainter {

    enum NailShape {ALMOND, COFFIN, SQUARE, OVAL, STILETTO, ROUND, SQUOVAL}

    enum Length {SHORT, MEDIUM, LONG}

    enum Finish {GLOSSY, MATTE, CHROME, GLITTER, SATIN}

    enum Pattern {SOLID, OMBRE, FRENCH, SPLIT, DOTS}

    enum Motif {NONE, FLOWERS, HEARTS, STARS, STRIPES, DOTS}

    /** Where a design is painted: everything the painter needs besides the photo. */
    record Design(NailShape shape, Length length, Finish finish, Pattern pattern, Motif motif, Palette palette,
                  int variation, String caption) {
    }

    /** Finger offsets across the hand, little finger to thumb: x in nail widths, y in nail widths, tilt in degrees. */
    private static final double[][] FINGERS = {
            {-2.55, 0.55, -16},
            {-1.25, -0.15, -6},
            {0.0, -0.45, 0},
            {1.25, -0.1, 7},
            {2.75, 1.6, 28},
    };

    private NailPainter() {
    }

    static BufferedImage paint(BufferedImage photo, Design design, Random random) {
        int width = photo.getWidth();
        int height = photo.getHeight();
        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setRenderingHint(RenderingHints.KEY_COLOR_RENDERING, RenderingHints.VALUE_COLOR_RENDER_QUALITY);
            g.drawImage(photo, 0, 0, null);

            double unit = Math.min(width, height * 0.9);
            double nailWidth = unit * 0.085;
            double centerX = width * 0.5 + (random.nextDouble() - 0.5) * nailWidth * 0.6;
            double baseY = height * 0.6 + (random.nextDouble() - 0.5) * nailWidth * 0.6;
            double handTilt = (random.nextDouble() - 0.5) * 8;

            for (int finger = 0; finger < FINGERS.length; finger++) {
                double[] place = FINGERS[finger];
                boolean thumb = finger == FINGERS.length - 1;
                double w = nailWidth * (thumb ? 1.18 : finger == 0 ? 0.82 : 1.0);
                double l = w * lengthFactor(design.length(), design.shape());
                double x = centerX + place[0] * nailWidth * 1.08;
                double y = baseY + place[1] * nailWidth;
                double tilt = Math.toRadians(place[2] + handTilt + (random.nextDouble() - 0.5) * 4);

                AffineTransform at = new AffineTransform();
                at.translate(x, y);
                at.rotate(tilt);
                Shape nail = at.createTransformedShape(outline(design.shape(), w, l));
                paintShadow(g, nail, w);
                paintNail(g, nail, at, w, l, finger, design, random);
            }
            paintCaption(g, width, height, design);
        } finally {
            g.dispose();
        }
        return canvas;
    }

    private static double lengthFactor(Length length, NailShape shape) {
        double base = switch (length) {
            case SHORT -> 1.1;
            case MEDIUM -> 1.5;
            case LONG -> 2.05;
        };
        // Pointed shapes read as longer: give them the extra length their tips need.
        return switch (shape) {
            case STILETTO -> base * 1.2;
            case ALMOND, COFFIN -> base * 1.1;
            default -> base;
        };
    }

    /** The nail outline in local coordinates: cuticle centred on the origin, growing towards negative y. */
    static Path2D outline(NailShape shape, double w, double l) {
        double h = w / 2;
        Path2D p = new Path2D.Double();
        p.moveTo(-h, 0);
        switch (shape) {
            case SQUARE, SQUOVAL -> {
                double r = shape == NailShape.SQUARE ? w * 0.1 : w * 0.32;
                p.lineTo(-h, -l + r);
                p.quadTo(-h, -l, -h + r, -l);
                p.lineTo(h - r, -l);
                p.quadTo(h, -l, h, -l + r);
            }
            case ROUND -> {
                p.lineTo(-h, -l + h);
                p.curveTo(-h, -l - h * 0.33, h, -l - h * 0.33, h, -l + h);
            }
            case OVAL -> {
                double tip = w * 0.75;
                p.lineTo(-h, -l + tip);
                p.curveTo(-h, -l - tip * 0.25, h, -l - tip * 0.25, h, -l + tip);
            }
            case ALMOND -> {
                p.lineTo(-h, -l * 0.45);
                p.curveTo(-h, -l * 0.82, -w * 0.16, -l, 0, -l);
                p.curveTo(w * 0.16, -l, h, -l * 0.82, h, -l * 0.45);
            }
            case STILETTO -> {
                p.lineTo(-h, -l * 0.3);
                p.curveTo(-h * 0.95, -l * 0.68, -w * 0.06, -l * 0.95, 0, -l);
                p.curveTo(w * 0.06, -l * 0.95, h * 0.95, -l * 0.68, h, -l * 0.3);
            }
            case COFFIN -> {
                p.lineTo(-h, -l * 0.38);
                p.lineTo(-w * 0.29, -l);
                p.lineTo(w * 0.29, -l);
                p.lineTo(h, -l * 0.38);
            }
        }
        p.lineTo(h, 0);
        // A rounded cuticle.
        p.quadTo(0, w * 0.3, -h, 0);
        p.closePath();
        return p;
    }

    private static void paintShadow(Graphics2D g, Shape nail, double w) {
        for (int i = 3; i >= 1; i--) {
            AffineTransform offset = AffineTransform.getTranslateInstance(w * 0.02 * i, w * 0.035 * i);
            g.setColor(new Color(0, 0, 0, 22));
            g.fill(offset.createTransformedShape(nail));
        }
    }

    private static void paintNail(Graphics2D g, Shape nail, AffineTransform at, double w, double l,
                                  int finger, Design design, Random random) {
        Palette palette = design.palette();
        int shift = design.variation();
        Color main = palette.at(shift);
        Color second = palette.at(shift + 1);
        Color third = palette.at(shift + 2);
        boolean accent = finger == 3;

        Shape oldClip = g.getClip();
        g.clip(nail);
        Rectangle2D bounds = nail.getBounds2D();
        switch (design.pattern()) {
            case SOLID -> {
                g.setColor(accent ? second : main);
                g.fill(bounds);
            }
            case OMBRE -> {
                Point2D from = at.transform(new Point2D.Double(0, 0), null);
                Point2D to = at.transform(new Point2D.Double(0, -l), null);
                g.setPaint(new LinearGradientPaint(from, to, new float[] {0f, 0.55f, 1f},
                        new Color[] {mix(main, Color.WHITE, 0.25), second, accent ? main : third}));
                g.fill(bounds);
            }
            case FRENCH -> {
                g.setColor(mix(main, new Color(0xF3DCD0), 0.75));
                g.fill(bounds);
                Path2D smile = new Path2D.Double();
                smile.moveTo(-w, -l * 0.7);
                smile.quadTo(0, -l * 0.56, w, -l * 0.7);
                smile.lineTo(w, -l * 1.5);
                smile.lineTo(-w, -l * 1.5);
                smile.closePath();
                g.setColor(accent ? third : second);
                g.fill(at.createTransformedShape(smile));
            }
            case SPLIT -> {
                g.setColor(main);
                g.fill(bounds);
                Path2D half = new Path2D.Double();
                double lean = accent ? -1 : 1;
                half.moveTo(-w, -l * (0.5 - 0.25 * lean));
                half.lineTo(w, -l * (0.5 + 0.25 * lean));
                half.lineTo(w, -l * 1.5);
                half.lineTo(-w, -l * 1.5);
                half.closePath();
                g.setColor(second);
                g.fill(at.createTransformedShape(half));
            }
            case DOTS -> {
                g.setColor(accent ? second : main);
                g.fill(bounds);
                g.setColor(accent ? main : third);
                int dots = 5 + random.nextInt(5);
                for (int i = 0; i < dots; i++) {
                    double r = w * (0.06 + random.nextDouble() * 0.06);
                    double dx = (random.nextDouble() - 0.5) * w * 0.8;
                    double dy = -random.nextDouble() * l * 0.95;
                    g.fill(at.createTransformedShape(new Ellipse2D.Double(dx - r, dy - r, 2 * r, 2 * r)));
                }
            }
        }
        if (accent || design.pattern() == Pattern.SOLID && finger == 1) {
            paintMotif(g, at, w, l, design.motif(), mix(palette.at(shift + 2), Color.WHITE, 0.35), random);
        }
        paintFinish(g, nail, at, w, l, design.finish(), main, random);
        g.setClip(oldClip);

        g.setStroke(new BasicStroke((float) Math.max(1.0, w * 0.03)));
        g.setColor(withAlpha(mix(main, Color.BLACK, 0.45), 170));
        g.draw(nail);
    }

    private static void paintMotif(Graphics2D g, AffineTransform at, double w, double l, Motif motif, Color color,
                                   Random random) {
        g.setColor(color);
        switch (motif) {
            case NONE -> {
            }
            case FLOWERS -> {
                double r = w * 0.12;
                for (int f = 0; f < 2; f++) {
                    double cx = (f == 0 ? -0.12 : 0.14) * w;
                    double cy = -l * (f == 0 ? 0.35 : 0.68);
                    for (int petal = 0; petal < 5; petal++) {
                        double a = petal * Math.PI * 2 / 5 + random.nextDouble() * 0.2;
                        double px = cx + Math.cos(a) * r;
                        double py = cy + Math.sin(a) * r;
                        g.fill(at.createTransformedShape(new Ellipse2D.Double(px - r * 0.7, py - r * 0.7, r * 1.4, r * 1.4)));
                    }
                    g.setColor(new Color(0xF6C945));
                    g.fill(at.createTransformedShape(new Ellipse2D.Double(cx - r * 0.55, cy - r * 0.55, r * 1.1, r * 1.1)));
                    g.setColor(color);
                }
            }
            case HEARTS -> {
                double s = w * 0.3;
                Path2D heart = new Path2D.Double();
                heart.moveTo(0, s * 0.35);
                heart.curveTo(-s * 0.9, -s * 0.2, -s * 0.35, -s * 0.85, 0, -s * 0.35);
                heart.curveTo(s * 0.35, -s * 0.85, s * 0.9, -s * 0.2, 0, s * 0.35);
                heart.closePath();
                AffineTransform place = new AffineTransform(at);
                place.translate(0, -l * 0.5);
                g.fill(place.createTransformedShape(heart));
            }
            case STARS -> {
                for (int i = 0; i < 3; i++) {
                    double cx = (random.nextDouble() - 0.5) * w * 0.5;
                    double cy = -l * (0.25 + i * 0.25);
                    g.fill(at.createTransformedShape(star(cx, cy, w * 0.11, w * 0.045)));
                }
            }
            case STRIPES -> {
                g.setStroke(new BasicStroke((float) Math.max(1.0, w * 0.05)));
                for (int i = 1; i <= 3; i++) {
                    double y = -l * i / 4.0;
                    g.draw(at.createTransformedShape(new Line2D.Double(-w, y - w * 0.3, w, y + w * 0.3)));
                }
            }
            case DOTS -> {
                for (int i = 0; i < 4; i++) {
                    double r = w * 0.07;
                    double cy = -l * (0.2 + i * 0.2);
                    g.fill(at.createTransformedShape(new Ellipse2D.Double(-r, cy - r, 2 * r, 2 * r)));
                }
            }
        }
    }

    private static Path2D star(double cx, double cy, double outer, double inner) {
        Path2D star = new Path2D.Double();
        for (int i = 0; i < 10; i++) {
            double r = i % 2 == 0 ? outer : inner;
            double a = -Math.PI / 2 + i * Math.PI / 5;
            double x = cx + Math.cos(a) * r;
            double y = cy + Math.sin(a) * r;
            if (i == 0) {
                star.moveTo(x, y);
            } else {
                star.lineTo(x, y);
            }
        }
        star.closePath();
        return star;
    }

    private static void paintFinish(Graphics2D g, Shape nail, AffineTransform at, double w, double l,
                                    Finish finish, Color main, Random random) {
        Rectangle2D bounds = nail.getBounds2D();
        switch (finish) {
            case GLOSSY -> {
                // A long window reflection along one side and a spark near the tip.
                g.setColor(new Color(255, 255, 255, 150));
                g.fill(at.createTransformedShape(new RoundRectangle2D.Double(-w * 0.34, -l * 0.86, w * 0.13, l * 0.62,
                        w * 0.13, w * 0.13)));
                g.setColor(new Color(255, 255, 255, 190));
                g.fill(at.createTransformedShape(new Ellipse2D.Double(w * 0.12, -l * 0.8, w * 0.1, w * 0.1)));
            }
            case CHROME -> {
                // Mirror bands across the nail, tinted by the polish colour so the colour still reads.
                Point2D left = at.transform(new Point2D.Double(-w / 2, 0), null);
                Point2D right = at.transform(new Point2D.Double(w / 2, 0), null);
                Color steel = mix(main, new Color(0xE4E8EC), 0.35);
                g.setPaint(new LinearGradientPaint(left, right, new float[] {0f, 0.2f, 0.34f, 0.55f, 0.74f, 1f},
                        new Color[] {
                                withAlpha(mix(main, Color.BLACK, 0.4), 150),
                                withAlpha(Color.WHITE, 190),
                                withAlpha(steel, 90),
                                withAlpha(mix(main, Color.BLACK, 0.2), 110),
                                withAlpha(Color.WHITE, 170),
                                withAlpha(mix(main, Color.BLACK, 0.45), 160)}));
                g.fill(bounds);
            }
            case GLITTER -> {
                int speckles = (int) (w * l / 22);
                Color[] sparkle = {Color.WHITE, new Color(0xF5D76E), mix(main, Color.WHITE, 0.6), new Color(0xE8E8F0)};
                for (int i = 0; i < speckles; i++) {
                    double r = 0.4 + random.nextDouble() * Math.max(0.8, w * 0.022);
                    double x = (random.nextDouble() - 0.5) * w;
                    double y = -random.nextDouble() * l * 1.05;
                    Color c = sparkle[random.nextInt(sparkle.length)];
                    g.setColor(withAlpha(c, 110 + random.nextInt(121)));
                    g.fill(at.createTransformedShape(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r)));
                }
                g.setColor(new Color(255, 255, 255, 90));
                g.fill(at.createTransformedShape(new Ellipse2D.Double(-w * 0.3, -l * 0.8, w * 0.12, l * 0.35)));
            }
            case MATTE -> {
                // Soft grain and a flat, slightly chalky surface: no highlight at all.
                g.setColor(new Color(255, 255, 255, 28));
                g.fill(bounds);
                int grains = (int) (w * l / 10);
                for (int i = 0; i < grains; i++) {
                    double x = (random.nextDouble() - 0.5) * w;
                    double y = -random.nextDouble() * l;
                    g.setColor(random.nextBoolean() ? new Color(0, 0, 0, 18) : new Color(255, 255, 255, 18));
                    g.fill(at.createTransformedShape(new Rectangle2D.Double(x, y, 1, 1)));
                }
            }
            case SATIN -> {
                Point2D centre = at.transform(new Point2D.Double(-w * 0.1, -l * 0.55), null);
                g.setPaint(new RadialGradientPaint(centre, (float) (w * 0.6), new float[] {0f, 1f},
                        new Color[] {new Color(255, 255, 255, 95), new Color(255, 255, 255, 0)}));
                g.fill(bounds);
            }
        }
    }

    private static void paintCaption(Graphics2D g, int width, int height, Design design) {
        int scale = Math.max(1, Math.min(width, height) / 340);
        int pad = 3 * scale;
        int swatch = PixelFont.GLYPH_HEIGHT * scale;
        int swatches = Math.min(design.palette().size(), 5);
        int room = width - 2 * pad - pad * 3 - swatches * (swatch + scale);
        // The caption lists the most telling parts first; what does not fit is left off whole.
        String text = "";
        for (String part : design.caption().split("\\|")) {
            String next = text.isEmpty() ? part.trim() : text + " | " + part.trim();
            if (PixelFont.width(next, scale) > room) {
                break;
            }
            text = next;
        }
        int boxWidth = pad * 3 + PixelFont.width(text, scale) + swatches * (swatch + scale);
        int boxHeight = swatch + 2 * pad;
        int x = pad;
        int y = height - boxHeight - pad;
        g.setColor(new Color(0, 0, 0, 150));
        g.fill(new RoundRectangle2D.Double(x, y, boxWidth, boxHeight, 2 * pad, 2 * pad));
        int cursor = x + pad;
        for (int i = 0; i < swatches; i++) {
            g.setColor(design.palette().at(i));
            g.fillRect(cursor, y + pad, swatch, swatch);
            cursor += swatch + scale;
        }
        cursor += pad;
        g.setColor(new Color(255, 255, 255, 230));
        PixelFont.draw(g, text, cursor, y + pad, scale);
    }

    static <E extends Enum<E>> E parse(Class<E> type, String value, E fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }
}
