package dev.taskgate.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * A real HTTP server (WireMock) speaking the OpenAI chat-completions and Anthropic Messages wire
 * formats, under {@code /openai/v1} and {@code /anthropic/v1}. Tests stub it per model through
 * {@link #client()}, so they do not interfere with each other.
 */
@QuarkusTestResource(FakeProviders.class)
public class FakeProviders implements QuarkusTestResourceLifecycleManager {

    public static final String OPENAI_KEY = "sk-test-openai-secret-0001";
    public static final String ANTHROPIC_KEY = "sk-ant-test-secret-0002";
    private static final String PORT_PROPERTY = "fake-providers.port";

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().dynamicPort().asynchronousResponseEnabled(true).containerThreads(40));
        server.start();
        System.setProperty(PORT_PROPERTY, String.valueOf(server.port()));
        String base = "http://localhost:" + server.port();
        return Map.of(
                "taskgate.llm.openai.base-url", base + "/openai/v1",
                "taskgate.llm.openai.api-key", OPENAI_KEY,
                "taskgate.llm.anthropic.base-url", base + "/anthropic/v1",
                "taskgate.llm.anthropic.api-key", ANTHROPIC_KEY);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** A client of the running server's admin API. */
    public static com.github.tomakehurst.wiremock.client.WireMock client() {
        return new com.github.tomakehurst.wiremock.client.WireMock("localhost",
                Integer.parseInt(System.getProperty(PORT_PROPERTY)));
    }
}
