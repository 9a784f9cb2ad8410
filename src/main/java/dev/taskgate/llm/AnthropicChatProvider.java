package dev.taskgate.llm;

import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.taskgate.config.TaskgateConfig;

import java.util.List;

/** The Anthropic Messages API. Plans come back as JSON because the planning prompt asks for it. */
final class AnthropicChatProvider extends Langchain4jProvider {

    static final String NAME = "anthropic";
    static final String DEFAULT_BASE_URL = "https://api.anthropic.com/v1";
    static final String DEFAULT_MODEL = "claude-3-5-haiku-latest";

    private final TaskgateConfig.Llm.Remote config;

    AnthropicChatProvider(TaskgateConfig.Llm.Remote config) {
        super(NAME, config.model().orElse(DEFAULT_MODEL), config.models().orElse(List.of()), config.stream(),
                config.timeout());
        this.config = config;
    }

    @Override
    protected ChatModel client(String model) {
        return AnthropicChatModel.builder()
                .baseUrl(config.baseUrl().orElse(DEFAULT_BASE_URL))
                .apiKey(config.apiKey().orElse("none"))
                .modelName(model)
                .maxTokens(config.maxTokens())
                .timeout(config.timeout())
                .maxRetries(0)
                .logRequests(false)
                .logResponses(false)
                .build();
    }

    @Override
    protected StreamingChatModel streamingClient(String model) {
        return AnthropicStreamingChatModel.builder()
                .baseUrl(config.baseUrl().orElse(DEFAULT_BASE_URL))
                .apiKey(config.apiKey().orElse("none"))
                .modelName(model)
                .maxTokens(config.maxTokens())
                .timeout(config.timeout())
                .logRequests(false)
                .logResponses(false)
                .build();
    }

    @Override
    protected ResponseFormat planFormat() {
        return null;
    }
}
