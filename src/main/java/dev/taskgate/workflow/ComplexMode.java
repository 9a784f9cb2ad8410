package dev.taskgate.workflow;

import dev.taskgate.llm.CallPurpose;
import dev.taskgate.llm.ChatMessage;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowSemaphore;

import java.util.ArrayList;
import java.util.List;

/**
 * COMPLEX: plan, fan out, synthesize. One call plans sub-tasks (structured output, parsed by the
 * activity), the sub-tasks run as parallel activities with at most {@code subtaskConcurrency} at
 * once, and a final call combines their results.
 */
final class ComplexMode implements ModeStrategy {

    @Override
    public ModelAnswer run(TaskSteps steps) {
        TaskInput input = steps.input();
        List<String> subtasks = steps.plan(
                Prompts.conversation(Prompts.plan(input.limits().maxSubtasks()), input.history(), input.query()),
                Math.max(1, input.limits().maxSubtasks()));

        WorkflowSemaphore slots = Workflow.newWorkflowSemaphore(Math.max(1, input.limits().subtaskConcurrency()));
        List<Promise<String>> running = new ArrayList<>(subtasks.size());
        for (String subtask : subtasks) {
            List<ChatMessage> messages = List.of(ChatMessage.system(Prompts.subtask(input.query())), ChatMessage.user(subtask));
            running.add(Async.function(() -> {
                slots.acquire();
                try {
                    return steps.subtask(subtask, messages);
                } finally {
                    slots.release();
                }
            }));
        }
        List<String> results = new ArrayList<>(running.size());
        for (Promise<String> result : running) {
            results.add(result.get());
        }

        return ModelAnswer.of(steps.ask(Prompts.conversation(Prompts.SYNTHESIS, input.history(),
                Prompts.synthesisInput(input.query(), subtasks, results)), List.of(), CallPurpose.SYNTHESIS));
    }
}
