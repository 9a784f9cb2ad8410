package dev.taskgate.workflow;

import dev.taskgate.llm.CallPurpose;
import dev.taskgate.llm.ChatMessage;

import java.util.List;

/** One model call as the workflow asks for it: provider, model, messages, offered tools (by name) and purpose. */
public record ModelRequest(String provider, String model, List<ChatMessage> messages, List<String> tools,
                           CallPurpose purpose) {

    public ModelRequest {
        messages = List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
    }
}
