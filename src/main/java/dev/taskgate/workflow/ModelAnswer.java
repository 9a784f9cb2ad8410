package dev.taskgate.workflow;

import dev.taskgate.llm.ChatResponse;

/** The final answer of a task and the model that produced it. */
public record ModelAnswer(String text, String model, String provider) {

    static ModelAnswer of(ChatResponse response) {
        return new ModelAnswer(response.text(), response.model(), response.provider());
    }
}
