package dev.taskgate.llm;

/** The provider and model a task runs on. */
public record ModelChoice(String provider, String model) {
}
