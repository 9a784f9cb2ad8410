package dev.taskgate.llm;

/**
 * A failed model call. The message is short and safe to show to users (never a key or a stack
 * trace); {@code retryable} says whether trying again may help (timeouts, 429, 5xx).
 */
public class ProviderException extends RuntimeException {

    private final boolean retryable;

    public ProviderException(String message, boolean retryable) {
        super(message, null, false, false);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }

    public static ProviderException unavailable(String cause) {
        return new ProviderException("LLM service unavailable: " + cause, true);
    }

    public static ProviderException rejected(String cause) {
        return new ProviderException("LLM request rejected: " + cause, false);
    }
}
