package dev.lacquer.worker.generation.openai;

import dev.lacquer.model.DesignSettings;
import dev.lacquer.worker.generation.GenerationException;
import java.util.Set;

/** The prompt templates this worker knows, by version. A request naming another version fails as invalid input. */
final class PromptTemplates {

    static final Set<String> VERSIONS = Set.of(NailPromptV1.VERSION);

    private PromptTemplates() {
    }

    static String compose(String version, String userPrompt, DesignSettings settings) {
        if (NailPromptV1.VERSION.equals(version)) {
            return NailPromptV1.compose(userPrompt, settings);
        }
        throw GenerationException.invalidInput("unknown prompt template version " + version + "; known: " + VERSIONS);
    }
}
