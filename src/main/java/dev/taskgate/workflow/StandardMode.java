package dev.taskgate.workflow;

import dev.taskgate.llm.CallPurpose;
import dev.taskgate.llm.ChatMessage;
import dev.taskgate.llm.ChatResponse;
import dev.taskgate.llm.ToolCall;

import java.util.ArrayList;
import java.util.List;

/**
 * STANDARD: a tool loop. The model may call tools; each call runs as an activity and its result
 * goes back to the model, for at most {@code maxSteps} model calls (the last one offers no tools).
 */
final class StandardMode implements ModeStrategy {

    @Override
    public ModelAnswer run(TaskSteps steps) {
        TaskInput input = steps.input();
        List<ChatMessage> messages = new ArrayList<>(Prompts.conversation(Prompts.TOOLS, input.history(), input.query()));
        int maxSteps = Math.max(1, input.limits().maxSteps());
        for (int step = 1; ; step++) {
            boolean last = step == maxSteps;
            if (last && step > 1) {
                messages.add(ChatMessage.system(Prompts.FINAL_STEP));
            }
            ChatResponse response = steps.ask(messages, last ? List.of() : input.tools(), CallPurpose.ANSWER);
            if (!response.hasToolCalls() || last) {
                return ModelAnswer.of(response);
            }
            messages.add(ChatMessage.assistant(response.text(), response.toolCalls()));
            for (ToolCall call : response.toolCalls()) {
                messages.add(ChatMessage.toolResult(call, steps.runTool(call)));
            }
        }
    }
}
