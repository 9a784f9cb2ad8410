package dev.taskgate.task;

import java.util.List;

/** One page of sessions, most recently active first; {@code nextPageToken} is null on the last page. */
public record SessionPage(List<SessionSummary> sessions, String nextPageToken) {
}
