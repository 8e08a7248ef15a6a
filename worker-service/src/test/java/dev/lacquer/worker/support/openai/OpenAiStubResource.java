package dev.lacquer.worker.support.openai;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts an {@link OpenAiStub} for a test profile, points the worker's OpenAI client at it with the stub's key, and
 * injects it into the test's {@code OpenAiStub} fields.
 */
public class OpenAiStubResource implements QuarkusTestResourceLifecycleManager {

    private OpenAiStub stub;

    @Override
    public Map<String, String> start() {
        stub = OpenAiStub.start();
        return Map.of(
                "lacquer.worker.openai.base-url", stub.baseUrl(),
                "lacquer.worker.openai.api-key", OpenAiStub.API_KEY);
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(stub, new TestInjector.MatchesType(OpenAiStub.class));
    }

    @Override
    public void stop() {
        if (stub != null) {
            stub.close();
        }
    }
}
