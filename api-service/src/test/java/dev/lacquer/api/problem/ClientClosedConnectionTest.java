package dev.lacquer.api.problem;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lacquer.api.support.ApiClient;
import dev.lacquer.testsupport.AccessTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * A phone that loses its network half-way through uploading a photo is not an error of ours: the API answers
 * nothing useful to a closed connection, creates no job, takes no credit and logs no error (operators alert on
 * errors; a dropped upload is routine on mobile networks).
 */
@QuarkusTest
class ClientClosedConnectionTest {

    @TestHTTPResource("/api/generate-nail-design-job")
    URL create;

    @Test
    void anUploadCutOffHalfWayLogsNoErrorAndCreatesNoJob() throws Exception {
        ApiClient erin = ApiClient.newUser("cutoff");
        int balanceBefore = erin.balance();
        List<LogRecord> errors = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    errors.add(record);
                }
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
            String head = "POST " + create.getPath() + " HTTP/1.1\r\nHost: " + create.getHost() + ":" + create.getPort()
                    + "\r\nAuthorization: Bearer " + AccessTokens.tokenFor(erin.user())
                    + "\r\nContent-Type: application/json\r\nContent-Length: 400000\r\n\r\n"
                    + "{\"prompt\":\"cut off\",\"imageCount\":1,\"originalImage\":\"data:image/jpeg;base64,"
                    + "A".repeat(100_000);
            try (Socket socket = new Socket(create.getHost(), create.getPort())) {
                OutputStream out = socket.getOutputStream();
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            // Nothing may show up: watch for a while that no error is logged (the server notices the close at once).
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> errors.isEmpty());
        } finally {
            root.removeHandler(capture);
        }
        assertTrue(errors.isEmpty(), () -> "errors logged: " + errors.stream().map(LogRecord::getMessage).toList());
        assertEquals(List.of(), erin.pending().then().statusCode(200).extract().jsonPath().getList("activeJobs"));
        assertEquals(balanceBefore, erin.balance(), "no credit taken");
    }
}
