package dev.taskgate.llm;

/** What a model answered, which model answered, and the tokens the call used. */
public record ChatResponse(String text, String model, String provider, long inputTokens, long outputTokens) {
}
