package dev.taskgate.task;

import dev.taskgate.support.StoredTasks;
import dev.taskgate.support.ModelCalls;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One row per model call; recording the same call attempt twice counts it once; the task holds the exact sum. */
@QuarkusTest
class ModelCallRecordingTest {

    @Inject
    TaskRepository tasks;

    @Inject
    TaskProgress progress;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void usageIsTheExactSumAndRecordingIsIdempotent() {
        // COMPLETED: no workflow, and keeps the reconciler away
        Task task = StoredTasks.insert("RECORDING", TaskStatus.COMPLETED, Instant.now());

        ModelCall plan = new ModelCall(task.id, "1#1", "PLAN", "openai", "gpt-4o-mini", 1_234, 56,
                new BigDecimal("0.000218700000"));
        assertTrue(progress.recordModelCall(plan, "the plan"));
        assertFalse(progress.recordModelCall(plan, "the plan"), "the same call attempt is recorded once");
        assertTrue(progress.recordModelCall(new ModelCall(task.id, "1#2", "PLAN", "openai", "gpt-4o-mini", 1_234, 56,
                new BigDecimal("0.000218700000")), "the plan"), "a retried attempt is a new, billed call");
        assertTrue(progress.recordModelCall(new ModelCall(task.id, "2#1", "SYNTHESIS", "anthropic", "claude-x", 10, 1,
                new BigDecimal("0.000000123456")), "the answer"));

        assertEquals(3, ModelCalls.of(dataSource, task.id).size());
        TaskView stored = tasks.findForTenant(task.id, "default").orElseThrow();
        assertEquals(2_478, stored.usage().inputTokens());
        assertEquals(113, stored.usage().outputTokens());
        assertEquals(0, new BigDecimal("0.000437523456").compareTo(stored.usage().estimatedCost()));
        assertEquals("claude-x", stored.modelUsed());
        assertEquals("anthropic", stored.provider());
    }
}
