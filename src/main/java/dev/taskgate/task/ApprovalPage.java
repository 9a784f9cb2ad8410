package dev.taskgate.task;

import java.util.List;

/** One page of approvals, oldest request first; {@code nextPageToken} is null on the last page. */
public record ApprovalPage(List<Approval> approvals, String nextPageToken) {
}
