package dev.lacquer.api.look;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lacquer.model.DesignSettings;

/** JSON text of design settings for native inserts into jsonb columns. */
final class DesignSettingsJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DesignSettingsJson() {
    }

    static String write(DesignSettings settings) {
        try {
            return MAPPER.writeValueAsString(settings == null ? DesignSettings.none() : settings);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
