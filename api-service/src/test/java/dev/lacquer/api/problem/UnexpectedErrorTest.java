package dev.lacquer.api.problem;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** A 500 says nothing of the internals and carries an error id that matches exactly one log line. */
@QuarkusTest
class UnexpectedErrorTest {

    /** Test-only endpoint that fails the way a bug would. */
    @Path("/api/test-only/boom")
    @PermitAll
    public static class Boom {
        @GET
        public String boom() {
            throw new IllegalStateException("select password from secret_table where id = 1");
        }
    }

    @Test
    void aBugAnswersAnOpaqueProblemWhoseIdIsInTheLog() {
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(String.valueOf(record.getMessage()) + " " + java.util.Arrays.toString(record.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            String errorId = given().get("/api/test-only/boom").then().statusCode(500)
                    .contentType("application/problem+json")
                    .body("status", equalTo(500))
                    .body(not(containsString("IllegalStateException")))
                    .body(not(containsString("secret_table")))
                    .body(not(containsString("at dev.")))
                    .extract().path("errorId");
            assertEquals(1, lines.stream().filter(line -> line.contains(errorId)).count(), lines.toString());
        } finally {
            root.removeHandler(capture);
        }
    }
}
