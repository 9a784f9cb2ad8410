package dev.taskgate.api;

import dev.taskgate.task.ExecutionMode;
import dev.taskgate.task.TaskStatus;
import dev.taskgate.task.TaskView;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The documented task JSON, to the byte: field names and order, numbers, whole-second times, response. */
class RestJsonTest {

    private static final Instant CREATED = Instant.parse("2025-10-22T10:30:00.123456Z");
    private static final Instant UPDATED = Instant.parse("2025-10-22T10:30:05.987Z");

    @Test
    void aCompletedTaskIsTheApiDocsExample() {
        TaskView task = new TaskView("task_01HQZX3Y9K8M2P4N5S7T9W2V", "default", TaskStatus.COMPLETED,
                ExecutionMode.SIMPLE, "What is the capital of France?", "user-123-session",
                "The capital of France is Paris.", "", "gpt-5-mini-2025-08-07", "openai",
                new TaskView.Usage(200, 100, new BigDecimal("0.006")), 300, CREATED, UPDATED, java.util.List.of(), null, 0);
        assertEquals("{\"task_id\":\"task_01HQZX3Y9K8M2P4N5S7T9W2V\",\"status\":\"TASK_STATUS_COMPLETED\","
                + "\"result\":\"The capital of France is Paris.\",\"response\":{\"result\":\"The capital of France is Paris.\"},"
                + "\"error\":\"\",\"created_at\":\"2025-10-22T10:30:00Z\",\"updated_at\":\"2025-10-22T10:30:05Z\","
                + "\"query\":\"What is the capital of France?\",\"session_id\":\"user-123-session\","
                + "\"mode\":\"EXECUTION_MODE_SIMPLE\",\"model_used\":\"gpt-5-mini-2025-08-07\",\"provider\":\"openai\","
                + "\"usage\":{\"total_tokens\":300,\"input_tokens\":200,\"output_tokens\":100,\"estimated_cost\":0.006}}",
                RestJson.text(TaskMessages.task(task)));
    }

    @Test
    void aQueuedTaskHasANullResponseAndNoResultModelOrUsage() {
        TaskView task = new TaskView("task_1", "default", TaskStatus.QUEUED, ExecutionMode.STANDARD, "q", "s",
                null, "", null, null, null, 300, CREATED, CREATED, java.util.List.of(), null, 0);
        assertEquals("{\"task_id\":\"task_1\",\"status\":\"TASK_STATUS_QUEUED\",\"response\":null,\"error\":\"\","
                + "\"created_at\":\"2025-10-22T10:30:00Z\",\"updated_at\":\"2025-10-22T10:30:00Z\",\"query\":\"q\","
                + "\"session_id\":\"s\",\"mode\":\"EXECUTION_MODE_STANDARD\"}", RestJson.text(TaskMessages.task(task)));
    }

    @Test
    void aJsonResultIsTheResponseItselfWithItsNumbers() {
        TaskView task = new TaskView("task_2", "default", TaskStatus.COMPLETED, ExecutionMode.SIMPLE, "q", "s",
                "{\"answer\": \"Paris\", \"count\": 3, \"ratio\": 0.5}", "", null, null, null, 300, CREATED, UPDATED, java.util.List.of(), null, 0);
        String json = RestJson.text(TaskMessages.task(task));
        assertTrue(json.contains("\"response\":{\"answer\":\"Paris\",\"count\":3,\"ratio\":0.5}"), json);
    }
}
