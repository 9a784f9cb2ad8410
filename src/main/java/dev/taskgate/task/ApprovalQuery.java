package dev.taskgate.task;

/**
 * A page request over the caller's approvals, oldest request first (an inbox): one status (null:
 * any) and one task (null: all), at most {@value TaskQuery#MAX_LIMIT} a page.
 */
public record ApprovalQuery(Approval.Status status, String taskId, int limit, String pageToken) {

    public ApprovalQuery {
        taskId = taskId == null || taskId.isEmpty() ? null : Ids.task(taskId);
        TaskQuery.checkLimit(limit);
        pageToken = pageToken == null || pageToken.isEmpty() ? null : pageToken;
    }

    public static ApprovalQuery of(Approval.Status status, String taskId, Integer limit, String pageToken) {
        return new ApprovalQuery(status, taskId, limit == null ? TaskQuery.DEFAULT_LIMIT : limit, pageToken);
    }
}
