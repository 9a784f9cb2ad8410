package dev.taskgate.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The LLM settings bind from environment variables and from properties with quoted model names. */
class LlmConfigTest {

    @Test
    void providersAndTiersFromTheEnvironmentPricesFromProperties() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(TaskgateConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new EnvConfigSource(Map.of(
                        "TASKGATE_LLM_OPENAI_API_KEY", "sk-env",
                        "TASKGATE_LLM_OPENAI_BASE_URL", "http://localhost:11434/v1",
                        "TASKGATE_LLM_TIERS_SMALL_PROVIDER", "openai",
                        "TASKGATE_LLM_TIERS_SMALL_MODEL", "llama3.1",
                        "TASKGATE_LLM_AGENT_MAX_STEPS", "9"), 300))
                .withSources(new PropertiesConfigSource(Map.of(
                        "taskgate.llm.prices.\"gpt-4o-mini\".input", "0.15",
                        "taskgate.llm.prices.\"gpt-4o-mini\".output", "0.60"), "test", 250))
                .build();
        TaskgateConfig.Llm llm = config.getConfigMapping(TaskgateConfig.class).llm();

        assertEquals("sk-env", llm.openai().apiKey().orElseThrow());
        assertEquals("http://localhost:11434/v1", llm.openai().baseUrl().orElseThrow());
        assertEquals("openai", llm.tiers().get("small").provider());
        assertEquals("llama3.1", llm.tiers().get("small").model());
        assertEquals(9, llm.agent().maxSteps());
        assertEquals(new BigDecimal("0.15"), llm.prices().get("gpt-4o-mini").input());
        assertEquals("local", llm.defaultProvider());
    }
}
