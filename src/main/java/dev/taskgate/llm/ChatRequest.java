package dev.taskgate.llm;

import java.util.List;
import java.util.Map;

/**
 * One model call: the model to use, the conversation so far, the tools the model may call, why
 * it is called, and the task's free-form context (the local model reads its {@code simulate}).
 */
public record ChatRequest(String model, List<ChatMessage> messages, List<ToolSpec> tools, CallPurpose purpose,
                          Map<String, Object> context) {

    public ChatRequest {
        messages = List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
        purpose = purpose == null ? CallPurpose.ANSWER : purpose;
        context = context == null ? Map.of() : context;
    }

    /** The text of the last user message ("" when there is none). */
    public String lastUserText() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == ChatMessage.Role.USER) {
                return messages.get(i).text();
            }
        }
        return "";
    }
}
