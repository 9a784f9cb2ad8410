package dev.taskgate.llm;

import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.taskgate.config.TaskgateConfig;

import java.util.List;

/** Any OpenAI-compatible chat-completions endpoint: OpenAI, vLLM, Ollama, LM Studio, ... */
final class OpenAiChatProvider extends Langchain4jProvider {

    static final String NAME = "openai";
    static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    static final String DEFAULT_MODEL = "gpt-4o-mini";

    private static final ResponseFormat PLAN_FORMAT = ResponseFormat.builder()
            .type(ResponseFormatType.JSON)
            .jsonSchema(JsonSchema.builder()
                    .name("plan")
                    .rootElement(JsonObjectSchema.builder()
                            .addProperty("subtasks", JsonArraySchema.builder().items(new JsonStringSchema()).build())
                            .required("subtasks")
                            .build())
                    .build())
            .build();

    private final TaskgateConfig.Llm.Remote config;

    OpenAiChatProvider(TaskgateConfig.Llm.Remote config) {
        super(NAME, config.model().orElse(DEFAULT_MODEL), config.models().orElse(List.of()), config.stream(),
                config.timeout());
        this.config = config;
    }

    @Override
    protected ChatModel client(String model) {
        return OpenAiChatModel.builder()
                .baseUrl(config.baseUrl().orElse(DEFAULT_BASE_URL))
                // local servers (Ollama, vLLM) accept any key
                .apiKey(config.apiKey().orElse("none"))
                .modelName(model)
                .maxTokens(config.maxTokens())
                .timeout(config.timeout())
                .maxRetries(0)
                .supportedCapabilities(Capability.RESPONSE_FORMAT_JSON_SCHEMA)
                .logRequests(false)
                .logResponses(false)
                .build();
    }

    @Override
    protected StreamingChatModel streamingClient(String model) {
        return OpenAiStreamingChatModel.builder()
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
        return PLAN_FORMAT;
    }
}
