package dev.taskgate.task;

/** An answer, and whether it is the replay of an earlier request with the same Idempotency-Key. */
public record Replayable<T>(T value, boolean replayed) {
}
