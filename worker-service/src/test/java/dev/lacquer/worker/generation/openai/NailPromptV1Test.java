package dev.lacquer.worker.generation.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lacquer.model.DesignSettings;
import dev.lacquer.worker.generation.GenerationException;
import java.util.List;
import org.junit.jupiter.api.Test;

class NailPromptV1Test {

    @Test
    void composesTheUsersWordsAndEverySetting() {
        String prompt = PromptTemplates.compose("nail-v1", "  glazed \"donut\"\nchrome ",
                new DesignSettings("almond", "medium", "chrome", List.of("#f4e1d2", "#c0c0ff"), "tiny pearls"));
        assertTrue(prompt.startsWith("Edit this photo of a hand"), prompt);
        assertTrue(prompt.contains("Design requested by the user: \"glazed 'donut' chrome\"."), prompt);
        assertTrue(prompt.contains("Nail shape: almond. Nail length: medium. Finish: chrome."
                + " Colours: #f4e1d2, #c0c0ff. Style: \"tiny pearls\"."), prompt);
    }

    @Test
    void withoutSettingsOnlyThePromptIsAdded() {
        String prompt = NailPromptV1.compose("red", DesignSettings.none());
        assertEquals(4, prompt.lines().count(), prompt);
        assertTrue(!prompt.contains("Nail shape"));
    }

    @Test
    void unknownVersionIsInvalidInput() {
        GenerationException e = assertThrows(GenerationException.class,
                () -> PromptTemplates.compose("nail-v9", "red", DesignSettings.none()));
        assertEquals(dev.lacquer.model.ErrorCode.INVALID_INPUT, e.code());
    }
}
