package dev.taskgate.llm;

/** A model API. The {@link ProviderRegistry} selects one by {@link #name()}. */
public interface ChatProvider {

    /** The provider label recorded on tasks, e.g. {@code local}, {@code openai}, {@code anthropic}. */
    String name();

    /** The model used when a task names none. */
    String defaultModel();

    /** Whether {@code model} is this provider's default model or one of its configured models. */
    boolean knowsModel(String model);

    /** Sends one request; throws {@link ProviderException} when the call fails. */
    ChatResponse chat(ChatRequest request);
}
