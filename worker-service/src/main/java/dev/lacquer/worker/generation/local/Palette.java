package dev.lacquer.worker.generation.local;

import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The colours of a local render: the user's chosen colours when there are any, else colours named in the
 * prompt ("coral", "navy"…), else colours derived from a hash of the prompt, so the same prompt always looks the
 * same and different prompts look different.
 */
record Palette(List<Color> colors) {

    private static final Pattern HEX = Pattern.compile("^#[0-9a-fA-F]{6}$");

    /** Colour words a prompt may use, in the order they are looked for. */
    private static final Map<String, Color> NAMED = new LinkedHashMap<>();

    static {
        NAMED.put("burgundy", new Color(0x800020));
        NAMED.put("wine", new Color(0x722F37));
        NAMED.put("cherry", new Color(0xB3001B));
        NAMED.put("red", new Color(0xC8102E));
        NAMED.put("coral", new Color(0xFF7F50));
        NAMED.put("peach", new Color(0xFFB38A));
        NAMED.put("orange", new Color(0xF28C28));
        NAMED.put("yellow", new Color(0xF7D038));
        NAMED.put("gold", new Color(0xD4AF37));
        NAMED.put("mint", new Color(0x98E6C8));
        NAMED.put("sage", new Color(0x9CAF88));
        NAMED.put("olive", new Color(0x708238));
        NAMED.put("emerald", new Color(0x1F8A5B));
        NAMED.put("green", new Color(0x2E8B57));
        NAMED.put("teal", new Color(0x12807E));
        NAMED.put("turquoise", new Color(0x30D5C8));
        NAMED.put("sky", new Color(0x87CEEB));
        NAMED.put("navy", new Color(0x1B2A59));
        NAMED.put("cobalt", new Color(0x0047AB));
        NAMED.put("blue", new Color(0x2F6FDB));
        NAMED.put("lavender", new Color(0xB8A6E0));
        NAMED.put("lilac", new Color(0xC8A2C8));
        NAMED.put("purple", new Color(0x7A3FB0));
        NAMED.put("plum", new Color(0x8E4585));
        NAMED.put("magenta", new Color(0xD0338A));
        NAMED.put("fuchsia", new Color(0xE0218A));
        NAMED.put("pink", new Color(0xF4A6C1));
        NAMED.put("rose", new Color(0xE8A0A8));
        NAMED.put("blush", new Color(0xF2C6C2));
        NAMED.put("nude", new Color(0xE3BC9A));
        NAMED.put("beige", new Color(0xE8D8C3));
        NAMED.put("brown", new Color(0x7B4B2A));
        NAMED.put("chocolate", new Color(0x5A3221));
        NAMED.put("black", new Color(0x141414));
        NAMED.put("grey", new Color(0x8A8D91));
        NAMED.put("gray", new Color(0x8A8D91));
        NAMED.put("silver", new Color(0xC0C6CC));
        NAMED.put("white", new Color(0xF7F5F2));
        NAMED.put("pearl", new Color(0xEAE0C8));
    }

    Palette {
        colors = List.copyOf(colors);
        if (colors.isEmpty()) {
            throw new IllegalArgumentException("a palette needs a colour");
        }
    }

    /** The palette for these settings and this prompt; {@code promptHash} seeds the derived colours. */
    static Palette of(List<String> chosen, String prompt, long promptHash) {
        List<Color> colors = new ArrayList<>();
        if (chosen != null) {
            for (String hex : chosen) {
                if (hex != null && HEX.matcher(hex.trim()).matches()) {
                    colors.add(new Color(Integer.parseInt(hex.trim().substring(1), 16)));
                }
            }
        }
        if (colors.isEmpty() && prompt != null) {
            String lower = prompt.toLowerCase(Locale.ROOT);
            List<int[]> found = new ArrayList<>();
            for (Map.Entry<String, Color> named : NAMED.entrySet()) {
                int at = indexOfWord(lower, named.getKey());
                if (at >= 0) {
                    found.add(new int[] {at, named.getValue().getRGB()});
                }
            }
            // In the order the prompt names them: "navy and gold" starts with navy.
            found.sort((a, b) -> Integer.compare(a[0], b[0]));
            for (int[] entry : found) {
                if (colors.size() < 5) {
                    colors.add(new Color(entry[1]));
                }
            }
        }
        if (colors.isEmpty()) {
            colors.addAll(derived(promptHash));
        }
        if (colors.size() == 1) {
            // One colour still needs partners for ombré, French tips and accents: a lighter and a deeper shade.
            Color only = colors.getFirst();
            colors.add(mix(only, Color.WHITE, 0.55));
            colors.add(mix(only, Color.BLACK, 0.35));
        }
        return new Palette(colors);
    }

    private static int indexOfWord(String text, String word) {
        int from = 0;
        while (true) {
            int at = text.indexOf(word, from);
            if (at < 0) {
                return -1;
            }
            boolean startOk = at == 0 || !Character.isLetter(text.charAt(at - 1));
            int end = at + word.length();
            // Accept plurals and "-ish": "pinks", "pinkish".
            boolean endOk = end == text.length() || !Character.isLetter(text.charAt(end))
                    || text.startsWith("s", end) || text.startsWith("ish", end);
            if (startOk && endOk) {
                return at;
            }
            from = at + 1;
        }
    }

    private static List<Color> derived(long hash) {
        float hue = (hash & 0xFFFF) / 65536f;
        float saturation = 0.45f + ((hash >>> 16) & 0xFF) / 255f * 0.4f;
        float brightness = 0.55f + ((hash >>> 24) & 0xFF) / 255f * 0.35f;
        // An analogous pair and a complementary accent.
        return List.of(
                Color.getHSBColor(hue, saturation, brightness),
                Color.getHSBColor((hue + 0.08f) % 1f, saturation * 0.8f, Math.min(1f, brightness + 0.1f)),
                Color.getHSBColor((hue + 0.5f) % 1f, Math.min(1f, saturation + 0.1f), brightness * 0.9f));
    }

    /** Colour {@code i}, wrapping around. */
    Color at(int i) {
        return colors.get(Math.floorMod(i, colors.size()));
    }

    int size() {
        return colors.size();
    }

    /** {@code a} moved {@code amount} (0 to 1) of the way to {@code b}. */
    static Color mix(Color a, Color b, double amount) {
        double keep = 1 - amount;
        return new Color(
                (int) Math.round(a.getRed() * keep + b.getRed() * amount),
                (int) Math.round(a.getGreen() * keep + b.getGreen() * amount),
                (int) Math.round(a.getBlue() * keep + b.getBlue() * amount));
    }

    static Color withAlpha(Color color, int alpha) {
        return new Color(color.getRed(), color.getGreen(), color.getBlue(), alpha);
    }
}
