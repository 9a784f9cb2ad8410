package dev.taskgate.workflow;

import dev.taskgate.llm.CallPurpose;
import dev.taskgate.llm.ChatMessage;

import java.util.List;
import java.util.Map;

/**
 * One model call as the workflow asks for it: provider, model, messages, offered tools (by name),
 * purpose, and the task's {@link TaskInput#modelContext()}.
 */
public record ModelRequest(String provider, String model, List<ChatMessage> messages, List<String> tools,
                           CallPurpose purpose, Map<String, Object> context) {

    public ModelRequest {
        messages = List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
        context = context == null ? Map.of() : context;
    }

    /** A call of {@code input}'s provider and model. */
    static ModelRequest of(TaskInput input, List<ChatMessage> messages, List<String> tools, CallPurpose purpose) {
        return new ModelRequest(input.provider(), input.model(), messages, tools, purpose, input.modelContext());
    }
}
