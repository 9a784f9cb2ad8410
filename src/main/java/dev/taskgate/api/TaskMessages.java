package dev.taskgate.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.taskgate.events.TaskEvent;
import dev.taskgate.proto.v1.CancelTaskResponse;
import dev.taskgate.proto.v1.ListApprovalsResponse;
import dev.taskgate.proto.v1.ListSessionsResponse;
import dev.taskgate.proto.v1.ListTaskEventsResponse;
import dev.taskgate.proto.v1.ListTasksResponse;
import dev.taskgate.proto.v1.Pause;
import dev.taskgate.proto.v1.Session;
import dev.taskgate.proto.v1.Settings;
import dev.taskgate.proto.v1.Task;
import dev.taskgate.proto.v1.Usage;
import dev.taskgate.task.Approval;
import dev.taskgate.task.ApprovalPage;
import dev.taskgate.task.CancelResult;
import dev.taskgate.task.SessionPage;
import dev.taskgate.task.SessionSummary;
import dev.taskgate.task.TaskPage;
import dev.taskgate.task.TaskStatus;
import dev.taskgate.task.TaskView;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * Every answer of the API, built once as its {@code taskgate.v1} message: gRPC sends the
 * message, REST renders the same message as JSON ({@link RestJson}), so the two cannot drift.
 */
public final class TaskMessages {

    /**
     * How deep a result may nest to become the task's {@code response} object. A deeper result is
     * answered as text ({@code {"result": "..."}}) by REST and gRPC alike: each level of a Struct
     * is three levels of protobuf messages, and protobuf parsers refuse messages nested over 100
     * levels, so a deeper object would break every gRPC client reading it.
     */
    static final int MAX_RESPONSE_DEPTH = 30;
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private TaskMessages() {
    }

    public static Task task(TaskView task) {
        Task.Builder message = Task.newBuilder()
                .setTaskId(task.id())
                .setStatus(ApiValues.status(task.status()))
                .setError(task.error())
                .setCreatedAt(ApiValues.timestamp(task.createdAt()))
                .setUpdatedAt(ApiValues.timestamp(task.updatedAt()))
                .setQuery(task.query())
                .setSessionId(task.sessionId())
                .setMode(ApiValues.mode(task.mode()));
        if (task.result() != null) {
            message.setResult(task.result());
        }
        if (task.modelUsed() != null) {
            message.setModelUsed(task.modelUsed());
        }
        if (task.provider() != null) {
            message.setProvider(task.provider());
        }
        if (task.usage() != null) {
            message.setUsage(usage(task.usage().inputTokens(), task.usage().outputTokens(), task.usage().estimatedCost()));
        }
        if (task.status() == TaskStatus.COMPLETED && task.result() != null) {
            message.setResponse(response(task.result()));
        }
        if (task.pause() != null) {
            Pause.Builder pause = Pause.newBuilder().setSince(ApiValues.timestamp(task.pause().since()))
                    .setReason(task.pause().reason());
            task.pause().pendingApprovals().forEach(approval -> pause.addPendingApprovals(approval(approval)));
            message.setPause(pause);
        }
        return message.addAllRequireApproval(task.requireApproval()).build();
    }

    public static dev.taskgate.proto.v1.Approval approval(Approval approval) {
        var message = dev.taskgate.proto.v1.Approval.newBuilder()
                .setApprovalId(approval.id())
                .setTaskId(approval.taskId())
                .setTool(approval.tool())
                .setArguments(approval.arguments())
                .setStatus(ApiValues.approvalStatus(approval.status()))
                .setRequestedAt(ApiValues.timestamp(approval.requestedAt()));
        if (approval.feedback() != null) {
            message.setFeedback(approval.feedback());
        }
        if (approval.decidedAt() != null) {
            message.setDecidedAt(ApiValues.timestamp(approval.decidedAt()));
        }
        return message.build();
    }

    public static ListApprovalsResponse approvals(ApprovalPage page) {
        ListApprovalsResponse.Builder message = ListApprovalsResponse.newBuilder();
        page.approvals().forEach(approval -> message.addApprovals(approval(approval)));
        if (page.nextPageToken() != null) {
            message.setNextPageToken(page.nextPageToken());
        }
        return message.build();
    }

    public static Settings settings(List<String> requireApproval) {
        return Settings.newBuilder().addAllRequireApproval(requireApproval).build();
    }

    public static ListTasksResponse page(TaskPage page) {
        ListTasksResponse.Builder message = ListTasksResponse.newBuilder();
        page.tasks().forEach(task -> message.addTasks(task(task)));
        if (page.nextPageToken() != null) {
            message.setNextPageToken(page.nextPageToken());
        }
        return message.build();
    }

    public static dev.taskgate.proto.v1.TaskEvent event(TaskEvent event) {
        var message = dev.taskgate.proto.v1.TaskEvent.newBuilder()
                .setTaskId(event.taskId())
                .setSeq(event.seq())
                .setType(event.type().name())
                .setMessage(event.message())
                .setTimestamp(ApiValues.timestamp(event.timestamp()));
        if (event.payload() != null) {
            struct(event.payload()).ifPresent(message::setPayload);
        }
        return message.build();
    }

    /** A page of stored events; {@code next_after} when the page is full (more may follow). */
    public static ListTaskEventsResponse events(List<TaskEvent> page, long pageSize) {
        ListTaskEventsResponse.Builder message = ListTaskEventsResponse.newBuilder();
        page.forEach(event -> message.addEvents(event(event)));
        if (!page.isEmpty() && page.size() == pageSize) {
            message.setNextAfter(page.get(page.size() - 1).seq());
        }
        return message.build();
    }

    public static CancelTaskResponse cancel(CancelResult result) {
        return CancelTaskResponse.newBuilder()
                .setSuccess(result.success())
                .setMessage(result.message())
                .setTaskId(result.taskId())
                .setStatus(ApiValues.status(result.status()))
                .build();
    }

    public static Session session(SessionSummary session) {
        return Session.newBuilder()
                .setSessionId(session.sessionId())
                .setTaskCount(session.taskCount())
                .setUsage(usage(session.inputTokens(), session.outputTokens(), session.estimatedCost()))
                .setFirstActivityAt(ApiValues.timestamp(session.firstActivityAt()))
                .setLastActivityAt(ApiValues.timestamp(session.lastActivityAt()))
                .build();
    }

    public static ListSessionsResponse sessions(SessionPage page) {
        ListSessionsResponse.Builder message = ListSessionsResponse.newBuilder();
        page.sessions().forEach(session -> message.addSessions(session(session)));
        if (page.nextPageToken() != null) {
            message.setNextPageToken(page.nextPageToken());
        }
        return message.build();
    }

    private static Usage usage(long in, long out, BigDecimal cost) {
        return Usage.newBuilder().setInputTokens(in).setOutputTokens(out).setTotalTokens(in + out)
                .setEstimatedCost(cost.doubleValue()).build();
    }

    /**
     * The {@code response} of a completed task: the result itself when it is a JSON object
     * (nested at most {@value #MAX_RESPONSE_DEPTH} levels), otherwise {@code {"result": <text>}}.
     */
    static Struct response(String result) {
        String trimmed = result.strip();
        if (trimmed.startsWith("{")) {
            Optional<Struct> object = struct(trimmed);
            if (object.isPresent()) {
                return object.get();
            }
        }
        return Struct.newBuilder().putFields("result", Value.newBuilder().setStringValue(result).build()).build();
    }

    /** A strict JSON object (no trailing data, no duplicate keys) as a Struct; empty when it is not one. */
    private static Optional<Struct> struct(String jsonObject) {
        try {
            JsonNode tree = STRICT.readTree(jsonObject);
            if (!(tree instanceof ObjectNode object) || depth(object) > MAX_RESPONSE_DEPTH) {
                return Optional.empty();
            }
            return Optional.of(value(object).getStructValue());
        } catch (JsonProcessingException notJson) {
            return Optional.empty();
        }
    }

    private static Value value(JsonNode node) {
        Value.Builder value = Value.newBuilder();
        if (node.isObject()) {
            Struct.Builder struct = Struct.newBuilder();
            node.fields().forEachRemaining(field -> struct.putFields(field.getKey(), value(field.getValue())));
            return value.setStructValue(struct).build();
        }
        if (node.isArray()) {
            ListValue.Builder list = ListValue.newBuilder();
            node.forEach(item -> list.addValues(value(item)));
            return value.setListValue(list).build();
        }
        if (node.isNumber()) {
            return value.setNumberValue(node.doubleValue()).build();
        }
        if (node.isBoolean()) {
            return value.setBoolValue(node.booleanValue()).build();
        }
        if (node.isTextual()) {
            return value.setStringValue(node.textValue()).build();
        }
        return value.setNullValue(NullValue.NULL_VALUE).build();
    }

    private static int depth(JsonNode node) {
        int deepest = 0;
        for (JsonNode child : node) {
            deepest = Math.max(deepest, depth(child));
        }
        return node.isContainerNode() ? deepest + 1 : 0;
    }
}
