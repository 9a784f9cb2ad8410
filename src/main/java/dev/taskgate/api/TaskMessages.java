package dev.taskgate.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import dev.taskgate.events.TaskEvent;
import dev.taskgate.proto.v1.ExecutionMode;
import dev.taskgate.proto.v1.ListSessionsResponse;
import dev.taskgate.proto.v1.ListTasksResponse;
import dev.taskgate.proto.v1.Session;
import dev.taskgate.proto.v1.Task;
import dev.taskgate.proto.v1.TaskStatus;
import dev.taskgate.proto.v1.Usage;
import dev.taskgate.task.SessionPage;
import dev.taskgate.task.SessionSummary;
import dev.taskgate.task.TaskPage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one mapping from the domain task to the API's {@code taskgate.v1.Task} message. gRPC
 * returns the message; REST renders the same message as the documented JSON.
 */
public final class TaskMessages {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() { };

    private TaskMessages() {
    }

    public static Task toMessage(dev.taskgate.task.Task task) {
        Task.Builder message = Task.newBuilder()
                .setTaskId(task.id)
                .setStatus(status(task.status))
                .setError(task.error == null ? "" : task.error)
                .setCreatedAt(timestamp(task.createdAt))
                .setUpdatedAt(timestamp(task.updatedAt))
                .setQuery(task.query)
                .setSessionId(task.sessionId)
                .setMode(ExecutionMode.valueOf("EXECUTION_MODE_" + task.mode.name()));
        if (task.result != null) {
            message.setResult(task.result);
        }
        if (task.modelUsed != null) {
            message.setModelUsed(task.modelUsed);
        }
        if (task.provider != null) {
            message.setProvider(task.provider);
        }
        if (task.hasUsage()) {
            long in = task.inputTokens == null ? 0 : task.inputTokens;
            long out = task.outputTokens == null ? 0 : task.outputTokens;
            BigDecimal cost = task.estimatedCost == null ? BigDecimal.ZERO : task.estimatedCost;
            message.setUsage(Usage.newBuilder().setInputTokens(in).setOutputTokens(out)
                    .setTotalTokens(in + out).setEstimatedCost(cost.doubleValue()));
        }
        responseObject(message.getStatus(), task.result).ifPresent(object -> message.setResponse(struct(toJson(object))));
        return message.build();
    }

    public static dev.taskgate.proto.v1.TaskEvent toMessage(TaskEvent event) {
        var message = dev.taskgate.proto.v1.TaskEvent.newBuilder()
                .setTaskId(event.taskId())
                .setSeq(event.seq())
                .setType(event.type().name())
                .setMessage(event.message())
                .setTimestamp(timestamp(event.timestamp()));
        if (event.payload() != null) {
            message.setPayload(struct(event.payload()));
        }
        return message.build();
    }

    public static Session toMessage(SessionSummary session) {
        return Session.newBuilder()
                .setSessionId(session.sessionId())
                .setTaskCount(session.taskCount())
                .setUsage(Usage.newBuilder().setInputTokens(session.inputTokens())
                        .setOutputTokens(session.outputTokens())
                        .setTotalTokens(session.inputTokens() + session.outputTokens())
                        .setEstimatedCost(session.estimatedCost().doubleValue()))
                .setFirstActivityAt(timestamp(session.firstActivityAt()))
                .setLastActivityAt(timestamp(session.lastActivityAt()))
                .build();
    }

    public static ListTasksResponse toMessage(TaskPage page) {
        ListTasksResponse.Builder message = ListTasksResponse.newBuilder();
        page.tasks().forEach(task -> message.addTasks(toMessage(task)));
        if (page.nextPageToken() != null) {
            message.setNextPageToken(page.nextPageToken());
        }
        return message.build();
    }

    public static ListSessionsResponse toMessage(SessionPage page) {
        ListSessionsResponse.Builder message = ListSessionsResponse.newBuilder();
        page.sessions().forEach(session -> message.addSessions(toMessage(session)));
        if (page.nextPageToken() != null) {
            message.setNextPageToken(page.nextPageToken());
        }
        return message.build();
    }

    /** The domain status of an API status; null for UNSPECIFIED. */
    public static dev.taskgate.task.TaskStatus status(TaskStatus status) {
        return switch (status) {
            case TASK_STATUS_QUEUED -> dev.taskgate.task.TaskStatus.QUEUED;
            case TASK_STATUS_RUNNING -> dev.taskgate.task.TaskStatus.RUNNING;
            case TASK_STATUS_COMPLETED -> dev.taskgate.task.TaskStatus.COMPLETED;
            case TASK_STATUS_FAILED -> dev.taskgate.task.TaskStatus.FAILED;
            case TASK_STATUS_CANCELLED -> dev.taskgate.task.TaskStatus.CANCELLED;
            case TASK_STATUS_TIMEOUT -> dev.taskgate.task.TaskStatus.TIMEOUT;
            case TASK_STATUS_UNSPECIFIED, UNRECOGNIZED -> null;
        };
    }

    public static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    public static TaskStatus status(dev.taskgate.task.TaskStatus status) {
        return TaskStatus.valueOf("TASK_STATUS_" + status.name());
    }

    /**
     * The {@code response} of a task: empty until it COMPLETED; then the result itself when it
     * is a JSON object, otherwise {@code {"result": <text>}}.
     */
    public static Optional<Map<String, Object>> responseObject(TaskStatus status, String result) {
        if (status != TaskStatus.TASK_STATUS_COMPLETED || result == null) {
            return Optional.empty();
        }
        String trimmed = result.strip();
        if (trimmed.startsWith("{")) {
            try {
                return Optional.of(JSON.readValue(trimmed, OBJECT));
            } catch (JsonProcessingException notJson) {
                // plain text that happens to start with a brace
            }
        }
        Map<String, Object> wrapped = new LinkedHashMap<>();
        wrapped.put("result", result);
        return Optional.of(wrapped);
    }

    private static String toJson(Map<String, Object> object) {
        try {
            return JSON.writeValueAsString(object);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Struct struct(String jsonObject) {
        try {
            Struct.Builder builder = Struct.newBuilder();
            JsonFormat.parser().merge(jsonObject, builder);
            return builder.build();
        } catch (InvalidProtocolBufferException e) {
            return Struct.getDefaultInstance();
        }
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
