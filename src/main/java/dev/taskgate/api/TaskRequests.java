package dev.taskgate.api;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.taskgate.error.TaskgateException;
import dev.taskgate.proto.v1.ListApprovalsRequest;
import dev.taskgate.proto.v1.ListSessionsRequest;
import dev.taskgate.proto.v1.ListTasksRequest;
import dev.taskgate.proto.v1.SubmitTaskRequest;
import dev.taskgate.task.ApprovalQuery;
import dev.taskgate.task.ExecutionMode;
import dev.taskgate.task.SessionQuery;
import dev.taskgate.task.SubmitCommand;
import dev.taskgate.task.TaskQuery;
import dev.taskgate.task.TaskStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every request of the API, REST or gRPC, turned into the same command or query. Only the
 * representation is translated here (text to numbers, enums, instants; Struct to maps); the
 * commands and queries check themselves.
 */
public final class TaskRequests {

    private static final Pattern WHOLE_NUMBER = Pattern.compile("\\d{1,18}");

    private TaskRequests() {
    }

    public static SubmitCommand submit(SubmitTaskBody body) {
        if (body == null) {
            throw TaskgateException.invalid("Request body is required: {\"query\": \"...\"}");
        }
        return new SubmitCommand(body.query(), body.sessionId(),
                body.mode() == null ? null : ApiValues.modeNamed(body.mode()), body.context(), body.timeoutSeconds(),
                body.provider(), body.model(), body.modelTier(), body.requireApproval(), body.approvalTimeoutSeconds(),
                body.webhookUrl());
    }

    public static SubmitCommand submit(SubmitTaskRequest request) {
        return new SubmitCommand(request.getQuery(), request.getSessionId(),
                ApiValues.mode(request.getMode(), request.getModeValue()),
                request.hasContext() ? map(request.getContext()) : null,
                request.getTimeoutSeconds() == 0 ? null : request.getTimeoutSeconds(),
                request.getProvider(), request.getModel(), request.getModelTier(),
                request.hasRequireApproval() ? request.getRequireApproval().getToolsList() : null,
                request.getApprovalTimeoutSeconds() == 0 ? null : request.getApprovalTimeoutSeconds(),
                request.getWebhookUrl());
    }

    /** The REST approval list parameters, as sent. */
    public static ApprovalQuery approvals(String status, String taskId, String limit, String pageToken) {
        return ApprovalQuery.of(status == null ? null : ApiValues.approvalStatusNamed(status), taskId,
                limit == null ? null : limit(limit), pageToken);
    }

    public static ApprovalQuery approvals(ListApprovalsRequest request) {
        return ApprovalQuery.of(ApiValues.approvalStatus(request.getStatus(), request.getStatusValue()),
                request.getTaskId(), request.getLimit() == 0 ? null : request.getLimit(), request.getPageToken());
    }

    /** The REST list parameters, as sent ({@code status} and {@code ids} repeated and/or comma-separated). */
    public static TaskQuery list(List<String> status, String sessionId, String mode, String createdAfter,
                                 String createdBefore, List<String> ids, String limit, String pageToken) {
        Set<TaskStatus> statuses = EnumSet.noneOf(TaskStatus.class);
        split(status).forEach(name -> statuses.add(ApiValues.statusNamed(name)));
        return TaskQuery.of(statuses, sessionId, mode == null ? null : ApiValues.modeNamed(mode),
                createdAfter == null ? null : ApiValues.instant("created_after", createdAfter),
                createdBefore == null ? null : ApiValues.instant("created_before", createdBefore),
                new LinkedHashSet<>(split(ids)), limit == null ? null : limit(limit), pageToken);
    }

    public static TaskQuery list(ListTasksRequest request) {
        Set<TaskStatus> statuses = EnumSet.noneOf(TaskStatus.class);
        for (var status : request.getStatusesList()) {
            TaskStatus known = ApiValues.status(status);
            if (known == null) {
                throw TaskgateException.invalid("statuses must be known, specified task statuses");
            }
            statuses.add(known);
        }
        return TaskQuery.of(statuses, request.getSessionId().isEmpty() ? null : request.getSessionId(),
                ApiValues.mode(request.getMode(), request.getModeValue()),
                request.hasCreatedAfter() ? ApiValues.instant("created_after", request.getCreatedAfter()) : null,
                request.hasCreatedBefore() ? ApiValues.instant("created_before", request.getCreatedBefore()) : null,
                new LinkedHashSet<>(request.getIdsList()), request.getLimit() == 0 ? null : request.getLimit(),
                request.getPageToken());
    }

    public static SessionQuery sessions(String limit, String pageToken) {
        return SessionQuery.of(limit == null ? null : limit(limit), pageToken);
    }

    public static SessionQuery sessions(ListSessionsRequest request) {
        return SessionQuery.of(request.getLimit() == 0 ? null : request.getLimit(), request.getPageToken());
    }

    /** A page size given as text: a whole number from 1 to {@value TaskQuery#MAX_LIMIT}. */
    public static int limit(String text) {
        return (int) wholeNumber(text, TaskQuery.MAX_LIMIT,
                "limit must be a whole number between 1 and " + TaskQuery.MAX_LIMIT);
    }

    /**
     * A whole number given as text, at most {@code max}: digits only (no sign, fraction, exponent
     * or white space); anything else is INVALID_ARGUMENT with {@code error}.
     */
    public static long wholeNumber(String text, long max, String error) {
        if (!WHOLE_NUMBER.matcher(text).matches() || Long.parseLong(text) > max) {
            throw TaskgateException.invalid(error);
        }
        return Long.parseLong(text);
    }

    /** An integer given as text (a seq); anything else is INVALID_ARGUMENT naming the parameter. */
    public static long integer(String name, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw TaskgateException.invalid(name + " must be an integer");
        }
    }

    /** gRPC's {@code after_seq}, refused by its own name when negative (REST's is {@code after}, checked by the use case). */
    public static long afterSeq(long afterSeq) {
        if (afterSeq < 0) {
            throw TaskgateException.invalid("after_seq must be a non-negative event seq");
        }
        return afterSeq;
    }

    /** {@code true}/{@code false} (or present without a value: true). */
    public static boolean flag(String name, String text) {
        if (text == null || text.equalsIgnoreCase("false")) {
            return false;
        }
        if (text.isEmpty() || text.equalsIgnoreCase("true")) {
            return true;
        }
        throw TaskgateException.invalid(name + " must be true or false");
    }

    private static List<String> split(Collection<String> values) {
        List<String> parts = new ArrayList<>();
        if (values != null) {
            for (String value : values) {
                for (String part : value.split(",", -1)) {
                    parts.add(part.strip());
                }
            }
        }
        return parts;
    }

    /** A Struct as plain maps, lists and numbers (whole numbers as longs); the command checks its depth. */
    private static Map<String, Object> map(Struct struct) {
        Map<String, Object> map = new LinkedHashMap<>();
        struct.getFieldsMap().forEach((key, value) -> map.put(key, java(value)));
        return map;
    }

    private static Object java(Value value) {
        return switch (value.getKindCase()) {
            case STRUCT_VALUE -> map(value.getStructValue());
            case LIST_VALUE -> value.getListValue().getValuesList().stream().map(TaskRequests::java).toList();
            case NUMBER_VALUE -> {
                double number = value.getNumberValue();
                yield number == Math.rint(number) && Math.abs(number) < 1e15 ? (Object) (long) number : (Object) number;
            }
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> value.getBoolValue();
            default -> null;
        };
    }
}
