package dev.taskgate.llm;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.output.TokenUsage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A remote provider on a langchain4j chat model: converts Taskgate's messages and tools to the
 * library's, makes exactly one HTTP call (the library's own retries are off; Temporal retries
 * activities), and maps failures with {@link ProviderErrors}. With streaming on, answers (not
 * plans) are streamed and their text is passed on in pieces as it arrives.
 */
abstract class Langchain4jProvider implements ChatProvider {

    private final String name;
    private final String defaultModel;
    private final Set<String> models;
    private final Map<String, ChatModel> clients = new ConcurrentHashMap<>();
    private final Map<String, StreamingChatModel> streamingClients = new ConcurrentHashMap<>();
    private final boolean stream;
    private final Duration timeout;

    Langchain4jProvider(String name, String defaultModel, List<String> models, boolean stream, Duration timeout) {
        this.name = name;
        this.timeout = timeout;
        this.stream = stream;
        this.defaultModel = defaultModel;
        this.models = new LinkedHashSet<>(models);
        this.models.add(defaultModel);
    }

    /** A client for one model; built once per model and reused. */
    protected abstract ChatModel client(String model);

    /** A streaming client for one model; built once per model and reused. */
    protected abstract StreamingChatModel streamingClient(String model);

    /** The response format of a planning call, or null when the API has no JSON mode. */
    protected abstract ResponseFormat planFormat();

    @Override
    public String name() {
        return name;
    }

    @Override
    public String defaultModel() {
        return defaultModel;
    }

    @Override
    public Duration callTimeout() {
        return timeout;
    }

    @Override
    public boolean knowsModel(String model) {
        return models.contains(model);
    }

    @Override
    public ChatResponse chat(ChatRequest request, Consumer<String> partials) {
        String model = request.model() == null ? defaultModel : request.model();
        var builder = dev.langchain4j.model.chat.request.ChatRequest.builder().messages(messages(request.messages()));
        if (!request.tools().isEmpty()) {
            builder.toolSpecifications(request.tools().stream().map(Langchain4jProvider::toolSpecification).toList());
        }
        if (request.purpose() == CallPurpose.PLAN && planFormat() != null) {
            builder.responseFormat(planFormat());
        }
        dev.langchain4j.model.chat.response.ChatResponse response;
        try {
            response = stream && request.purpose() != CallPurpose.PLAN
                    ? streamed(streamingClients.computeIfAbsent(model, this::streamingClient), builder.build(), partials)
                    : clients.computeIfAbsent(model, this::client).chat(builder.build());
        } catch (RuntimeException e) {
            throw ProviderErrors.map(e);
        }
        AiMessage message = response.aiMessage();
        List<ToolCall> toolCalls = message.hasToolExecutionRequests()
                ? message.toolExecutionRequests().stream()
                        .map(call -> new ToolCall(call.id(), call.name(), call.arguments())).toList()
                : List.of();
        TokenUsage usage = response.tokenUsage();
        long in = usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
        long out = usage == null || usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
        String reported = response.modelName() == null || response.modelName().isBlank() ? model : response.modelName();
        return new ChatResponse(message.text(), toolCalls, reported, name, in, out);
    }

    /**
     * Makes one streamed call, passing its text on as it arrives, and waits for the whole response.
     * An interrupt (the task was cancelled or timed out) stops the stream, so no more tokens are generated.
     */
    private static dev.langchain4j.model.chat.response.ChatResponse streamed(StreamingChatModel client,
            dev.langchain4j.model.chat.request.ChatRequest request, Consumer<String> partials) {
        CompletableFuture<dev.langchain4j.model.chat.response.ChatResponse> done = new CompletableFuture<>();
        AtomicReference<StreamingHandle> stream = new AtomicReference<>();
        client.chat(request, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String text) {
                partials.accept(text);
            }

            @Override
            public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                stream.set(context.streamingHandle());
                onPartialResponse(partial.text());
            }

            @Override
            public void onCompleteResponse(dev.langchain4j.model.chat.response.ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        try {
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (stream.get() != null) {
                stream.get().cancel();
            }
            throw ProviderException.unavailable("call interrupted");
        } catch (ExecutionException e) {
            throw ProviderErrors.map(e.getCause());
        }
    }

    private static List<dev.langchain4j.data.message.ChatMessage> messages(List<ChatMessage> messages) {
        List<dev.langchain4j.data.message.ChatMessage> converted = new ArrayList<>(messages.size());
        for (ChatMessage message : messages) {
            converted.add(switch (message.role()) {
                case SYSTEM -> SystemMessage.from(message.text());
                case USER -> UserMessage.from(message.text());
                case ASSISTANT -> message.toolCalls().isEmpty()
                        ? AiMessage.from(message.text())
                        : AiMessage.from(message.text().isBlank() ? null : message.text(), message.toolCalls().stream()
                                .map(call -> ToolExecutionRequest.builder()
                                        .id(call.id()).name(call.name()).arguments(call.arguments()).build())
                                .toList());
                case TOOL -> ToolExecutionResultMessage.from(message.toolCallId(), message.toolName(), message.text());
            });
        }
        return converted;
    }

    private static ToolSpecification toolSpecification(ToolSpec tool) {
        JsonObjectSchema.Builder parameters = JsonObjectSchema.builder();
        tool.parameters().forEach(parameters::addStringProperty);
        if (!tool.parameters().isEmpty()) {
            parameters.required(List.copyOf(tool.parameters().keySet()));
        }
        return ToolSpecification.builder()
                .name(tool.name())
                .description(tool.description())
                .parameters(parameters.build())
                .build();
    }
}
