package dev.taskgate.task;

public enum TaskStatus {
    QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT;

    public boolean isTerminal() {
        return this != QUEUED && this != RUNNING;
    }
}
