package dev.taskgate.api;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import dev.taskgate.error.TaskgateException;
import dev.taskgate.proto.v1.ApprovalStatus;
import dev.taskgate.task.Approval;
import dev.taskgate.task.ExecutionMode;
import dev.taskgate.task.TaskStatus;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;

/**
 * The API's names for domain values, in one place: the proto enums ({@code TASK_STATUS_*},
 * {@code EXECUTION_MODE_*}), the short names REST also accepts ({@code running}, {@code simple}),
 * and timestamps.
 */
public final class ApiValues {

    private static final String STATUS_PREFIX = "TASK_STATUS_";
    private static final String MODE_PREFIX = "EXECUTION_MODE_";
    private static final String APPROVAL_PREFIX = "APPROVAL_STATUS_";

    private ApiValues() {
    }

    public static dev.taskgate.proto.v1.TaskStatus status(TaskStatus status) {
        return dev.taskgate.proto.v1.TaskStatus.valueOf(STATUS_PREFIX + status.name());
    }

    /** The domain status of an API status; null for UNSPECIFIED or an unknown number. */
    public static TaskStatus status(dev.taskgate.proto.v1.TaskStatus status) {
        return status == dev.taskgate.proto.v1.TaskStatus.TASK_STATUS_UNSPECIFIED
                || status == dev.taskgate.proto.v1.TaskStatus.UNRECOGNIZED
                ? null : TaskStatus.valueOf(status.name().substring(STATUS_PREFIX.length()));
    }

    public static dev.taskgate.proto.v1.ExecutionMode mode(ExecutionMode mode) {
        return dev.taskgate.proto.v1.ExecutionMode.valueOf(MODE_PREFIX + mode.name());
    }

    /** The domain mode of an API mode; null for UNSPECIFIED; INVALID_ARGUMENT for an unknown number. */
    public static ExecutionMode mode(dev.taskgate.proto.v1.ExecutionMode mode, int number) {
        return switch (mode) {
            case EXECUTION_MODE_UNSPECIFIED -> null;
            case UNRECOGNIZED -> throw TaskgateException.invalid("Unknown mode " + number
                    + ": expected EXECUTION_MODE_SIMPLE, EXECUTION_MODE_STANDARD or EXECUTION_MODE_COMPLEX");
            default -> ExecutionMode.valueOf(mode.name().substring(MODE_PREFIX.length()));
        };
    }

    /** A status given as text: {@code TASK_STATUS_RUNNING} or {@code running}, in any case. */
    public static TaskStatus statusNamed(String text) {
        return named(text, STATUS_PREFIX, TaskStatus::valueOf, "status",
                "queued, running, paused, completed, failed, cancelled, timeout (or TASK_STATUS_QUEUED, ...)");
    }

    /** A mode given as text: {@code EXECUTION_MODE_SIMPLE} or {@code simple}, in any case. */
    public static ExecutionMode modeNamed(String text) {
        return named(text, MODE_PREFIX, ExecutionMode::valueOf, "mode",
                "simple, standard, complex (or EXECUTION_MODE_SIMPLE, ...)");
    }

    public static ApprovalStatus approvalStatus(Approval.Status status) {
        return ApprovalStatus.valueOf(APPROVAL_PREFIX + status.name());
    }

    /** The domain status of an API approval status; null for UNSPECIFIED; INVALID_ARGUMENT for an unknown number. */
    public static Approval.Status approvalStatus(ApprovalStatus status, int number) {
        return switch (status) {
            case APPROVAL_STATUS_UNSPECIFIED -> null;
            case UNRECOGNIZED -> throw TaskgateException.invalid("Unknown approval status " + number);
            default -> Approval.Status.valueOf(status.name().substring(APPROVAL_PREFIX.length()));
        };
    }

    /** An approval status given as text: {@code APPROVAL_STATUS_PENDING} or {@code pending}, in any case. */
    public static Approval.Status approvalStatusNamed(String text) {
        return named(text, APPROVAL_PREFIX, Approval.Status::valueOf, "status",
                "pending, approved, refused, expired (or APPROVAL_STATUS_PENDING, ...)");
    }

    private static <E extends Enum<E>> E named(String text, String prefix, Function<String, E> valueOf, String what,
                                               String expected) {
        String name = text.strip().toUpperCase(Locale.ROOT);
        if (name.startsWith(prefix)) {
            name = name.substring(prefix.length());
        }
        try {
            return valueOf.apply(name);
        } catch (IllegalArgumentException unknown) {
            throw TaskgateException.invalid("Unknown " + what + " '" + abbreviate(text) + "': expected one of " + expected);
        }
    }

    public static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    /** An instant from a client's Timestamp; INVALID_ARGUMENT when it is not a valid one. */
    public static Instant instant(String field, Timestamp timestamp) {
        if (!Timestamps.isValid(timestamp)) {
            throw TaskgateException.invalid(field + " must be a valid timestamp between the years 1 and 9999");
        }
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    /** An RFC 3339 timestamp such as {@code 2025-10-22T10:30:00Z} or {@code 2025-10-22T12:30:00.5+02:00}. */
    public static Instant instant(String field, String text) {
        try {
            return OffsetDateTime.parse(text.strip(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw TaskgateException.invalid(field + " must be an RFC 3339 timestamp such as 2025-10-22T10:30:00Z");
        }
    }

    static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
