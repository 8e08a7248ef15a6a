package dev.lacquer.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lacquer.model.Topics;
import dev.lacquer.testsupport.ConsumerGroups;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The seed's scenarios in a real browser: the reference web client served by api-service at {@code /}, signed in
 * through the dev issuer's login form (authorization code with PKCE), in Debian's Chromium driven by playwright-core
 * ({@code e2e-tests/browser/scenarios.mjs}, one scenario per test, each with users of its own). Both services run as
 * packaged processes on the real servers; the worker runs its production {@code openai} generator against
 * {@link ImageModelStub}, whose answers take a few seconds (so a page can be closed mid-generation) and which
 * refuses prompts with {@link ImageModelStub#BLOCKED_WORD} as the real API refuses blocked content. Screenshots of
 * every step: {@code e2e-tests/target/browser-screenshots/<scenario>/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserScenariosIT {

    /** Every user starts with this many credits here: two jobs of four designs do not fit. */
    private static final int STARTING_CREDITS = 6;
    private static final Duration MODEL_LATENCY = Duration.ofSeconds(4);

    private static ImageModelStub model;
    private static ServiceProcess worker;
    private static ServiceProcess api;
    private static BrowserScript browser;

    @BeforeAll
    static void start() {
        BrowserScript.prepare();
        model = ImageModelStub.start(MODEL_LATENCY);
        // Both services start at once: neither needs the other to become ready.
        CompletableFuture<ServiceProcess> startingWorker = CompletableFuture.supplyAsync(() ->
                new ServiceProcess("worker-service", Map.of(
                        // Only the requests of these scenarios: earlier tests leave hundreds on the topic, and the
                        // model stand-in takes seconds for each.
                        "KAFKA_CONSUMER_GROUP", ConsumerGroups.startingAtEnd("lacquer-worker-browser", Topics.REQUESTS),
                        "LACQUER_GENERATOR", "openai",
                        "OPENAI_BASE_URL", model.baseUrl(),
                        "OPENAI_API_KEY", ImageModelStub.API_KEY)).start());
        try {
            api = new ServiceProcess("api-service", Map.of(
                    "LACQUER_STARTING_CREDITS", Integer.toString(STARTING_CREDITS))).start();
        } finally {
            worker = startingWorker.join();
        }
        System.out.printf("browser scenarios: api ready in %.1f s, worker in %.1f s (started together)%n",
                api.startedIn().toMillis() / 1000.0, worker.startedIn().toMillis() / 1000.0);
        Map<String, String> env = new HashMap<>();
        env.put("API_URL", api.url());
        env.put("PHOTO", BrowserScript.ROOT.resolve("local-stack/samples/hand.jpg").toString());
        env.put("STARTING_CREDITS", Integer.toString(STARTING_CREDITS));
        env.put("BLOCKED_WORD", ImageModelStub.BLOCKED_WORD);
        browser = new BrowserScript(env);
    }

    @AfterAll
    static void stop() {
        try {
            if (api != null) {
                // Every charge belongs to a started job and every refund to a charge, once: the ledger adds up.
                Users admin = Users.signIn(api.url(), "admin-browser");
                Map<String, Object> audit = admin.request().get("/api/admin/ledger-audit").then().statusCode(200)
                        .extract().jsonPath().getMap("");
                assertEquals(true, audit.get("balanced"), "ledger audit after the browser scenarios: " + audit);
            }
        } finally {
            if (api != null) {
                api.close();
            }
            if (worker != null) {
                worker.close();
            }
            if (model != null) {
                model.close();
            }
        }
    }

    @Test
    @Order(1)
    void scenario1UserStaysAndWatchesTheDesignsArrive() {
        browser.scenario("stay");
    }

    @Test
    @Order(2)
    void scenario2PageClosedMidGenerationAnnouncesTheDesignsOnReturn() {
        browser.scenario("close-and-return");
    }

    @Test
    @Order(3)
    void scenario3TwoTabsClosedAndReopenedAreAllSavedAndCountedOnce() {
        browser.scenario("two-tabs");
    }

    @Test
    @Order(4)
    void severalReturnsAnnounceOnceAndSaveNothingTwice() {
        browser.scenario("several-returns");
    }

    @Test
    @Order(5)
    void insufficientCreditsSayWhyAndCreateNothing() {
        browser.scenario("insufficient-credits");
    }

    @Test
    @Order(6)
    void aFailedJobIsAnnouncedAndRefunded() {
        browser.scenario("failed-job");
    }

    @Test
    @Order(7)
    void aLoadAnsweredAfterTheLiveStartDoesNotSendTheTabBackToPending() {
        browser.scenario("late-answer");
    }
}
