package dev.lacquer.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The design choices a user makes next to the prompt. Every field is optional; the API
 * validates values against {@link #SHAPES}, {@link #LENGTHS}, {@link #FINISHES}, the colour
 * pattern and the length bounds before a job is accepted.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DesignSettings(String shape, String length, String finish, List<String> colors, String style) {

    public static final List<String> SHAPES = List.of("almond", "coffin", "square", "oval", "stiletto", "round", "squoval");
    public static final List<String> LENGTHS = List.of("short", "medium", "long");
    public static final List<String> FINISHES = List.of("glossy", "matte", "chrome", "glitter", "satin");
    public static final int MAX_COLORS = 5;
    public static final String COLOR_PATTERN = "^#[0-9a-fA-F]{6}$";
    public static final int MAX_STYLE_LENGTH = 80;

    public static DesignSettings none() {
        return new DesignSettings(null, null, null, null, null);
    }

    public DesignSettings {
        colors = colors == null ? null : List.copyOf(colors);
    }
}
