package dev.taskgate.llm;

import java.time.Duration;
import java.util.function.Consumer;

/** A model API. The {@link ProviderRegistry} selects one by {@link #name()}. */
public interface ChatProvider {

    /** The provider label recorded on tasks, e.g. {@code local}, {@code openai}, {@code anthropic}. */
    String name();

    /** The model used when a task names none. */
    String defaultModel();

    /** The longest one call may take before the provider gives up on it. */
    Duration callTimeout();

    /** Whether {@code model} is this provider's default model or one of its configured models. */
    boolean knowsModel(String model);

    /** Sends one request; throws {@link ProviderException} when the call fails. */
    default ChatResponse chat(ChatRequest request) {
        return chat(request, text -> { });
    }

    /**
     * Sends one request, passing pieces of the answer's text to {@code partials} as the model
     * generates them (a provider that does not stream passes none); the response carries the
     * whole text either way.
     */
    ChatResponse chat(ChatRequest request, Consumer<String> partials);
}
