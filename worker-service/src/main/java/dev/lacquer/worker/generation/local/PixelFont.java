package dev.lacquer.worker.generation.local;

import java.awt.Graphics2D;
import java.util.Locale;
import java.util.Map;

/**
 * A 5×7 pixel font for the caption of local renders. Drawn with rectangles, so the output is the same on every
 * machine and needs no installed fonts (slim container images have none).
 */
final class PixelFont {

    static final int GLYPH_WIDTH = 5;
    static final int GLYPH_HEIGHT = 7;
    /** Advance per character, in font pixels: the glyph plus one column of space. */
    static final int ADVANCE = GLYPH_WIDTH + 1;

    private static final Map<Character, String> GLYPHS = Map.ofEntries(
            Map.entry('A', "01110100011000111111100011000110001"),
            Map.entry('B', "11110100011000111110100011000111110"),
            Map.entry('C', "01110100011000010000100001000101110"),
            Map.entry('D', "11110100011000110001100011000111110"),
            Map.entry('E', "11111100001000011110100001000011111"),
            Map.entry('F', "11111100001000011110100001000010000"),
            Map.entry('G', "01110100011000010111100011000101111"),
            Map.entry('H', "10001100011000111111100011000110001"),
            Map.entry('I', "01110001000010000100001000010001110"),
            Map.entry('J', "00111000100001000010000101001001100"),
            Map.entry('K', "10001100101010011000101001001010001"),
            Map.entry('L', "10000100001000010000100001000011111"),
            Map.entry('M', "10001110111010110101100011000110001"),
            Map.entry('N', "10001100011100110101100111000110001"),
            Map.entry('O', "01110100011000110001100011000101110"),
            Map.entry('P', "11110100011000111110100001000010000"),
            Map.entry('Q', "01110100011000110001101011001001101"),
            Map.entry('R', "11110100011000111110101001001010001"),
            Map.entry('S', "01111100001000001110000010000111110"),
            Map.entry('T', "11111001000010000100001000010000100"),
            Map.entry('U', "10001100011000110001100011000101110"),
            Map.entry('V', "10001100011000110001100010101000100"),
            Map.entry('W', "10001100011000110101101011010101010"),
            Map.entry('X', "10001100010101000100010101000110001"),
            Map.entry('Y', "10001100010101000100001000010000100"),
            Map.entry('Z', "11111000010001000100010001000011111"),
            Map.entry('0', "01110100011001110101110011000101110"),
            Map.entry('1', "00100011000010000100001000010001110"),
            Map.entry('2', "01110100010000100010001000100011111"),
            Map.entry('3', "11111000100010000010000011000101110"),
            Map.entry('4', "00010001100101010010111110001000010"),
            Map.entry('5', "11111100001111000001000011000101110"),
            Map.entry('6', "00110010001000011110100011000101110"),
            Map.entry('7', "11111000010001000100010000100001000"),
            Map.entry('8', "01110100011000101110100011000101110"),
            Map.entry('9', "01110100011000101111000010001001100"),
            Map.entry('-', "00000000000000011111000000000000000"),
            Map.entry('.', "00000000000000000000000000110001100"),
            Map.entry('#', "01010010101111101010111110101001010"),
            Map.entry('/', "00001000100001000100010000100010000"),
            Map.entry('|', "00000000000000000100000000000000000"));

    private PixelFont() {
    }

    /** Width in device pixels of {@code text} drawn at {@code scale}. */
    static int width(String text, int scale) {
        return text.isEmpty() ? 0 : (text.length() * ADVANCE - 1) * scale;
    }

    /** Draws upper-cased {@code text} with its top-left corner at (x, y), in the graphics' current paint. */
    static void draw(Graphics2D g, String text, int x, int y, int scale) {
        String upper = text.toUpperCase(Locale.ROOT);
        for (int i = 0; i < upper.length(); i++) {
            String glyph = GLYPHS.get(upper.charAt(i));
            if (glyph == null) {
                continue;
            }
            int left = x + i * ADVANCE * scale;
            for (int bit = 0; bit < glyph.length(); bit++) {
                if (glyph.charAt(bit) == '1') {
                    g.fillRect(left + (bit % GLYPH_WIDTH) * scale, y + (bit / GLYPH_WIDTH) * scale, scale, scale);
                }
            }
        }
    }
}
