package dev.lacquer.worker.generation.openai;

import dev.lacquer.model.DesignSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * Version {@value #VERSION} of the prompt sent with the user's photo: keep the hand, paint the nails. The user's words
 * come in quotes after the fixed instructions, followed by the design settings in plain words. Never change the text
 * of a released version: write {@code nail-v2} beside it, so the version stored on a job and its looks keeps saying
 * what the model was asked.
 */
final class NailPromptV1 {

    static final String VERSION = "nail-v1";

    private NailPromptV1() {
    }

    static String compose(String userPrompt, DesignSettings settings) {
        List<String> lines = new ArrayList<>();
        lines.add("Edit this photo of a hand: paint a new nail design on the fingernails.");
        lines.add("Keep the hand, skin tone, fingers, pose, jewellery, lighting and background exactly as in the photo;"
                + " change only the nails.");
        lines.add("Design requested by the user: \"" + clean(userPrompt) + "\".");
        List<String> details = details(settings);
        if (!details.isEmpty()) {
            lines.add(String.join(" ", details));
        }
        lines.add("Photorealistic, like a close-up photo taken in a nail salon; the same design on every nail unless"
                + " the request says otherwise. No text, letters or watermarks.");
        return String.join("\n", lines);
    }

    private static List<String> details(DesignSettings s) {
        List<String> details = new ArrayList<>();
        if (s.shape() != null) {
            details.add("Nail shape: " + s.shape() + ".");
        }
        if (s.length() != null) {
            details.add("Nail length: " + s.length() + ".");
        }
        if (s.finish() != null) {
            details.add("Finish: " + s.finish() + ".");
        }
        if (s.colors() != null && !s.colors().isEmpty()) {
            details.add("Colours: " + String.join(", ", s.colors()) + ".");
        }
        if (s.style() != null && !s.style().isBlank()) {
            details.add("Style: \"" + clean(s.style()) + "\".");
        }
        return details;
    }

    /** One line, no quotes that would end the quoted text early. */
    private static String clean(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s+", " ").replace('"', '\'');
    }
}
