package dev.taskgate.task;

import java.util.List;

/** One page of tasks, newest first; {@code nextPageToken} is null on the last page. */
public record TaskPage(List<TaskView> tasks, String nextPageToken) {
}
