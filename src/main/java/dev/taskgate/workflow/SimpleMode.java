package dev.taskgate.workflow;

import dev.taskgate.llm.CallPurpose;
import dev.taskgate.llm.ChatResponse;

import java.util.List;

/** SIMPLE: one model call, no tools. */
final class SimpleMode implements ModeStrategy {

    private final TaskActivities model;

    SimpleMode(TaskActivities model) {
        this.model = model;
    }

    @Override
    public ModelAnswer run(String taskId, TaskInput input) {
        ChatResponse response = model.callModel(taskId, new ModelRequest(input.provider(), input.model(),
                Prompts.conversation(Prompts.ANSWER, input.history(), input.query()), List.of(), CallPurpose.ANSWER));
        return new ModelAnswer(response.text(), response.model(), response.provider());
    }
}
