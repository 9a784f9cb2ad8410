package dev.taskgate.tools;

import dev.taskgate.llm.ToolSpec;
import dev.taskgate.task.SessionTurn;
import dev.taskgate.task.TaskRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;

import java.util.List;
import java.util.Map;

/** Earlier completed turns of the task's session (same tenant), oldest first. */
@ApplicationScoped
@ActivateRequestContext
public class SessionHistoryTool implements Tool {

    static final int MAX_TURNS = 20;
    private static final ToolSpec SPEC = new ToolSpec("session_history",
            "Looks up the earlier questions and answers of this conversation (session), oldest first.",
            Map.of());

    private final TaskRepository tasks;

    public SessionHistoryTool(TaskRepository tasks) {
        this.tasks = tasks;
    }

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public String run(ToolContext context, Map<String, Object> arguments) {
        List<SessionTurn> turns = tasks.sessionHistory(context.tenantId(), context.sessionId(),
                context.taskCreatedAt(), MAX_TURNS);
        if (turns.isEmpty()) {
            return "No earlier turns in this session.";
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < turns.size(); i++) {
            text.append("Turn ").append(i + 1).append(": Q: ").append(turns.get(i).query())
                    .append("\nA: ").append(turns.get(i).answer()).append('\n');
        }
        return text.toString().strip();
    }
}
