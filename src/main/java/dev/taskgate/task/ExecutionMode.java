package dev.taskgate.task;

/** How a task runs: one model call, a tool loop, or plan, fan out and synthesize. */
public enum ExecutionMode {
    SIMPLE, STANDARD, COMPLEX
}
