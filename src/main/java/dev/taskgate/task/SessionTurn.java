package dev.taskgate.task;

/** One earlier completed turn of a session: what was asked and what was answered. */
public record SessionTurn(String query, String answer) {
}
