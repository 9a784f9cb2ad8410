package dev.taskgate.workflow;

import dev.taskgate.llm.ChatMessage;
import dev.taskgate.llm.Plans;

import java.util.ArrayList;
import java.util.List;

/** The prompts of each mode, in one place. */
final class Prompts {

    static final String ANSWER = "You are Taskgate's assistant. Answer the user's request accurately and concisely.";
    static final String TOOLS = ANSWER + " You may call the tools offered to you; use calculator for every calculation "
            + "instead of computing in your head, then give the final answer in plain text.";
    static final String FINAL_STEP = "You have used all your tool steps. Give your final answer now, without tools.";
    static final String SUBTASK = "You are working on one part of a larger request: \"%s\". "
            + "Answer only the part you are given, concisely and factually.";
    static final String SYNTHESIS = "Combine the results of the sub-tasks into one complete, coherent answer to the "
            + "user's request. Do not mention the sub-tasks themselves.";

    private Prompts() {
    }

    /** System prompt, the session's earlier turns, then the user's message. */
    static List<ChatMessage> conversation(String system, List<ChatMessage> history, String user) {
        List<ChatMessage> messages = new ArrayList<>(history.size() + 2);
        messages.add(ChatMessage.system(system));
        messages.addAll(history);
        messages.add(ChatMessage.user(user));
        return messages;
    }

    static String plan(int maxSubtasks) {
        return String.format(Plans.INSTRUCTIONS, maxSubtasks);
    }

    static String subtask(String query) {
        return String.format(SUBTASK, query);
    }

    static String synthesisInput(String query, List<String> subtasks, List<String> results) {
        StringBuilder text = new StringBuilder("Request: ").append(query).append("\n\nResults of the sub-tasks:\n");
        for (int i = 0; i < subtasks.size(); i++) {
            text.append("Sub-task ").append(i + 1).append(": ").append(subtasks.get(i)).append('\n')
                    .append("Result: ").append(results.get(i)).append("\n\n");
        }
        return text.toString().strip();
    }
}
