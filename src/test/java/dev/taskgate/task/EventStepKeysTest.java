package dev.taskgate.task;

import dev.taskgate.events.EventLog;
import dev.taskgate.events.EventType;
import dev.taskgate.events.TaskEvent;
import dev.taskgate.support.StoredTasks;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A workflow step that is retried or replayed writes its event once; seqs stay gapless. */
@QuarkusTest
class EventStepKeysTest {

    @Inject
    TaskProgress progress;

    @Inject
    EventLog events;

    @Test
    void aStepKeyWritesItsEventOnce() {
        Task task = StoredTasks.insert("STEPKEYS", TaskStatus.QUEUED, Instant.now());
        progress.recordEvent(task.id, "run-1#1", EventType.TOOL_INVOKED, "calculator", Map.of("tool", "calculator"));
        progress.recordEvent(task.id, "run-1#1", EventType.TOOL_INVOKED, "calculator", Map.of("tool", "calculator"));
        progress.recordEvent(task.id, "run-1#2", EventType.TOOL_RESULT, "4", Map.of("tool", "calculator"));
        progress.recordEvent(task.id, "run-2#1", EventType.TOOL_INVOKED, "calculator", Map.of("tool", "calculator"));
        progress.finish(task.id, TaskOutcome.completed("4"));
        progress.recordEvent(task.id, "run-2#2", EventType.TOOL_RESULT, "4", Map.of("tool", "calculator"));

        List<TaskEvent> written = events.after(task.id, 0, 100);
        assertEquals(List.of(EventType.TASK_QUEUED, EventType.TOOL_INVOKED, EventType.TOOL_RESULT,
                EventType.TOOL_INVOKED, EventType.TASK_COMPLETED), written.stream().map(TaskEvent::type).toList(),
                "a repeated key is written once; a new run writes its own; nothing follows the terminal event");
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), written.stream().map(TaskEvent::seq).toList());
    }
}
