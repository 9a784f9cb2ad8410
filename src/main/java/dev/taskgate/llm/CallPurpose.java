package dev.taskgate.llm;

/**
 * Why a model is called. Real providers only see the prompts; {@link #PLAN} additionally asks
 * for structured output (a JSON object {@code {"subtasks": [...]}}), and the local model uses the
 * purpose to behave like a small agent.
 */
public enum CallPurpose {
    /** Answer the user (SIMPLE, and each step of STANDARD's tool loop). */
    ANSWER,
    /** Split the query into sub-tasks (COMPLEX). */
    PLAN,
    /** Work on one sub-task (COMPLEX). */
    SUBTASK,
    /** Combine the sub-task results into the final answer (COMPLEX). */
    SYNTHESIS
}
