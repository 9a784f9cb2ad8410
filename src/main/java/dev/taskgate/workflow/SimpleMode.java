package dev.taskgate.workflow;

import dev.taskgate.llm.CallPurpose;

import java.util.List;

/** SIMPLE: one model call, no tools. */
final class SimpleMode implements ModeStrategy {

    @Override
    public ModelAnswer run(TaskSteps steps) {
        TaskInput input = steps.input();
        return ModelAnswer.of(steps.ask(Prompts.conversation(Prompts.ANSWER, input.history(), input.query()),
                List.of(), CallPurpose.ANSWER));
    }
}
