package dev.lacquer.api.config;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Refuses to start a production service whose cron secret could be guessed. */
@ApplicationScoped
public class SecretPolicy {

    public static final int MIN_CRON_SECRET_LENGTH = 16;

    void check(@Observes StartupEvent ignored, LacquerConfig config) {
        check(LaunchMode.current(), config.sweep().cronSecret());
    }

    static void check(LaunchMode mode, String cronSecret) {
        if (mode == LaunchMode.NORMAL && (cronSecret == null || cronSecret.length() < MIN_CRON_SECRET_LENGTH)) {
            throw new IllegalStateException("CRON_SECRET must be at least " + MIN_CRON_SECRET_LENGTH
                    + " characters in production");
        }
    }
}
