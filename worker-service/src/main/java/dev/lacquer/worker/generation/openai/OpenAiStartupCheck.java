package dev.lacquer.worker.generation.openai;

import dev.lacquer.worker.config.WorkerConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;

/**
 * With {@code lacquer.worker.generator=openai} the worker does not start without an API key: better a failed deploy
 * than every job failing as PROVIDER_CONFIGURATION. Other generators never read the OpenAI settings.
 */
@ApplicationScoped
class OpenAiStartupCheck {

    private static final Duration SHORTEST_SENSIBLE_READ_TIMEOUT = Duration.ofSeconds(180);

    void onStart(@Observes StartupEvent event, WorkerConfig worker, OpenAiConfig config) {
        if (!OpenAiDesignGenerator.NAME.equals(worker.generator().trim())) {
            return;
        }
        if (config.apiKey().filter(key -> !key.isBlank()).isEmpty()) {
            throw new IllegalStateException("lacquer.worker.generator=openai needs an API key: set OPENAI_API_KEY");
        }
        if (!PromptTemplates.VERSIONS.contains(config.promptTemplate())) {
            throw new IllegalStateException("lacquer.worker.openai.prompt-template=" + config.promptTemplate()
                    + " is unknown; known: " + PromptTemplates.VERSIONS);
        }
        if (config.readTimeout().compareTo(SHORTEST_SENSIBLE_READ_TIMEOUT) < 0) {
            Log.warnf("lacquer.worker.openai.read-timeout=%s is below %d s: image edits may take that long",
                    config.readTimeout(), SHORTEST_SENSIBLE_READ_TIMEOUT.toSeconds());
        }
        Log.infof("OpenAI image edits at %s, model %s, size %s, quality %s, template %s, %d calls at once",
                OpenAiImages.baseUri(config.baseUrl()), config.model(), config.size(), config.quality(),
                config.promptTemplate(), config.maxConcurrentCalls());
    }
}
