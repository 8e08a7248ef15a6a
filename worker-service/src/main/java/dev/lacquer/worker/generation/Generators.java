package dev.lacquer.worker.generation;

import dev.lacquer.worker.config.WorkerConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.util.List;

/**
 * Picks the {@link DesignGenerator} named by {@code lacquer.worker.generator} among the generator beans. A name
 * no bean answers to stops the application at start, not at the first job.
 */
@Startup
@ApplicationScoped
public class Generators {

    private final DesignGenerator selected;

    Generators(WorkerConfig config, @Any Instance<DesignGenerator> candidates) {
        String wanted = config.generator().trim();
        List<DesignGenerator> all = candidates.stream().toList();
        this.selected = all.stream()
                .filter(generator -> generator.name().equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("lacquer.worker.generator=" + wanted
                        + " names no generator; known: " + all.stream().map(DesignGenerator::name).sorted().toList()));
        Log.infof("generator: %s", selected.name());
    }

    /** The configured generator. */
    public DesignGenerator selected() {
        return selected;
    }
}
