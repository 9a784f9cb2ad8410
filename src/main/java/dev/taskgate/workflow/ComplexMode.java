package dev.taskgate.workflow;

import dev.taskgate.llm.CallPurpose;
import dev.taskgate.llm.ChatMessage;
import dev.taskgate.llm.ChatResponse;
import dev.taskgate.llm.Plans;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowSemaphore;

import java.util.ArrayList;
import java.util.List;

/**
 * COMPLEX: plan, fan out, synthesize. One call plans sub-tasks (structured output), the
 * sub-tasks run as parallel activities with at most {@code subtaskConcurrency} at once, and a
 * final call combines their results.
 */
final class ComplexMode implements ModeStrategy {

    private final TaskActivities model;

    ComplexMode(TaskActivities model) {
        this.model = model;
    }

    @Override
    public ModelAnswer run(String taskId, TaskInput input) {
        ChatResponse plan = model.callModel(taskId, new ModelRequest(input.provider(), input.model(),
                Prompts.conversation(Prompts.plan(input.limits().maxSubtasks()), input.history(), input.query()),
                List.of(), CallPurpose.PLAN));
        List<String> subtasks = Plans.parse(plan.text(), Math.max(1, input.limits().maxSubtasks()));
        if (subtasks.isEmpty()) {
            subtasks = List.of(input.query());
        }

        WorkflowSemaphore slots = Workflow.newWorkflowSemaphore(Math.max(1, input.limits().subtaskConcurrency()));
        List<Promise<ChatResponse>> running = new ArrayList<>(subtasks.size());
        for (String subtask : subtasks) {
            ModelRequest request = new ModelRequest(input.provider(), input.model(),
                    List.of(ChatMessage.system(Prompts.subtask(input.query())), ChatMessage.user(subtask)),
                    List.of(), CallPurpose.SUBTASK);
            running.add(Async.function(() -> {
                slots.acquire();
                try {
                    return model.callModel(taskId, request);
                } finally {
                    slots.release();
                }
            }));
        }
        List<String> results = new ArrayList<>(running.size());
        for (Promise<ChatResponse> result : running) {
            results.add(result.get().text());
        }

        ChatResponse answer = model.callModel(taskId, new ModelRequest(input.provider(), input.model(),
                Prompts.conversation(Prompts.SYNTHESIS, input.history(),
                        Prompts.synthesisInput(input.query(), subtasks, results)),
                List.of(), CallPurpose.SYNTHESIS));
        return new ModelAnswer(answer.text(), answer.model(), answer.provider());
    }
}
