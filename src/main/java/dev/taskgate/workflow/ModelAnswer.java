package dev.taskgate.workflow;

/** The final text of a model call and who produced it. */
public record ModelAnswer(String text, String model, String provider) {
}
