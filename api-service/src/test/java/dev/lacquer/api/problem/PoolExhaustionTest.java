package dev.lacquer.api.problem;

import static org.hamcrest.Matchers.equalTo;

import dev.lacquer.api.support.ApiClient;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A request that finds every pooled connection taken answers 503 with Retry-After, not 500. */
@QuarkusTest
@TestProfile(PoolExhaustionTest.TwoConnections.class)
class PoolExhaustionTest {

    /** A pool of two connections (Flyway needs two at start) that a request waits for at most a second. */
    public static class TwoConnections implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.max-size", "2",
                    "quarkus.datasource.jdbc.min-size", "0",
                    "quarkus.datasource.jdbc.acquisition-timeout", "1S");
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aRequestThatGetsNoConnectionAnswers503WithRetryAfterAndWorksOnceOneIsFree() throws Exception {
        ApiClient user = ApiClient.newUser("pool");
        user.credits().then().statusCode(200);
        try (Connection one = dataSource.getConnection(); Connection two = dataSource.getConnection()) {
            user.credits().then().statusCode(503)
                    .contentType(Problem.MEDIA_TYPE)
                    .header("Retry-After", equalTo("5"))
                    .body("status", equalTo(503))
                    .body("type", equalTo("https://lacquer.dev/problems/service-unavailable"));
        }
        user.credits().then().statusCode(200);
    }
}
