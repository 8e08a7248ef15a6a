package dev.lacquer.api.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.runtime.LaunchMode;
import org.junit.jupiter.api.Test;

class SecretPolicyTest {

    @Test
    void productionRefusesAShortCronSecret() {
        assertThrows(IllegalStateException.class, () -> SecretPolicy.check(LaunchMode.NORMAL, "short-secret"));
        assertThrows(IllegalStateException.class, () -> SecretPolicy.check(LaunchMode.NORMAL, null));
        assertDoesNotThrow(() -> SecretPolicy.check(LaunchMode.NORMAL, "a-secret-of-16-ch"));
        assertDoesNotThrow(() -> SecretPolicy.check(LaunchMode.TEST, "dev"));
    }
}
