package dev.taskgate.llm;

import dev.taskgate.config.TaskgateConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;

/**
 * The built-in offline model: deterministic, needs no network or key, and says plainly that it
 * is the local model. With {@code taskgate.llm.local.simulation=true} it honours
 * {@code context.simulate = {"delay_ms": N, "error": "...", "result": "..."}} so that slow,
 * failing and JSON-answering tasks can be produced on demand.
 */
@ApplicationScoped
public class LocalChatProvider implements ChatProvider {

    public static final String NAME = "local";
    public static final String MODEL = "taskgate-local-1";
    private static final long MAX_DELAY_MS = 600_000;

    private final boolean simulation;

    public LocalChatProvider(TaskgateConfig config) {
        this.simulation = config.llm().local().simulation();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        Map<?, ?> simulate = simulation && request.context().get("simulate") instanceof Map<?, ?> m ? m : Map.of();
        sleep(simulate.get("delay_ms"));
        if (simulate.get("error") instanceof String error && !error.isBlank()) {
            throw new ProviderException(error, false);
        }
        String text = simulate.get("result") instanceof String result ? result : answer(request);
        return new ChatResponse(text, MODEL, NAME, tokens(request.query()), tokens(text));
    }

    private static String answer(ChatRequest request) {
        return "[Taskgate local model] This answer comes from the built-in offline model, not a real LLM. "
                + "You asked (" + request.mode().toLowerCase() + " mode): \"" + request.query().strip()
                + "\". Configure an OpenAI-compatible or Anthropic provider for real answers.";
    }

    /** About four characters per token, like common BPE tokenizers on English text. */
    static long tokens(String text) {
        return Math.max(1, (text.length() + 3) / 4);
    }

    private static void sleep(Object delayMs) {
        if (!(delayMs instanceof Number n) || n.longValue() <= 0) {
            return;
        }
        try {
            Thread.sleep(Math.min(n.longValue(), MAX_DELAY_MS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException("LLM call interrupted", true);
        }
    }
}
