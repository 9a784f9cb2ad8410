package dev.taskgate.llm;

/** A model API. Implementations are CDI beans named by {@link #name()}. */
public interface ChatProvider {

    /** The provider label recorded on tasks, e.g. {@code local}, {@code openai}. */
    String name();

    /** Sends one request; throws {@link ProviderException} when the call fails. */
    ChatResponse chat(ChatRequest request);
}
