package dev.taskgate.workflow;

/** The final answer of a task and the model that produced it. */
public record ModelAnswer(String text, String model, String provider) {
}
