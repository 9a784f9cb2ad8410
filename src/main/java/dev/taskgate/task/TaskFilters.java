package dev.taskgate.task;

import dev.taskgate.error.TaskgateException;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/** Parsing of list filters given as text (REST query parameters); every mistake is INVALID_ARGUMENT. */
public final class TaskFilters {

    private static final String STATUS_PREFIX = "TASK_STATUS_";
    private static final String MODE_PREFIX = "EXECUTION_MODE_";

    private TaskFilters() {
    }

    /**
     * Statuses from repeated and/or comma-separated values; each is a documented name
     * ({@code TASK_STATUS_RUNNING}) or a short one ({@code running}), in any case.
     */
    public static Set<TaskStatus> statuses(Collection<String> values) {
        Set<TaskStatus> statuses = EnumSet.noneOf(TaskStatus.class);
        if (values == null) {
            return statuses;
        }
        for (String value : values) {
            for (String part : value.split(",", -1)) {
                statuses.add(status(part));
            }
        }
        return statuses;
    }

    public static TaskStatus status(String value) {
        String name = value.strip().toUpperCase(Locale.ROOT);
        if (name.startsWith(STATUS_PREFIX)) {
            name = name.substring(STATUS_PREFIX.length());
        }
        for (TaskStatus status : TaskStatus.values()) {
            if (status.name().equals(name)) {
                return status;
            }
        }
        throw TaskgateException.invalid("Unknown status '" + abbreviate(value)
                + "': expected one of queued, running, completed, failed, cancelled, timeout"
                + " (or TASK_STATUS_QUEUED, ...)");
    }

    /** A mode filter; unlike submit, an empty value is an error rather than SIMPLE. */
    public static ExecutionMode mode(String value) {
        if (value == null) {
            return null;
        }
        String name = value.strip().toUpperCase(Locale.ROOT);
        if (name.startsWith(MODE_PREFIX)) {
            name = name.substring(MODE_PREFIX.length());
        }
        for (ExecutionMode mode : ExecutionMode.values()) {
            if (mode.name().equals(name)) {
                return mode;
            }
        }
        throw TaskgateException.invalid("Unknown mode '" + abbreviate(value)
                + "': expected one of simple, standard, complex (or EXECUTION_MODE_SIMPLE, ...)");
    }

    /** An RFC 3339 timestamp such as {@code 2025-10-22T10:30:00Z} or {@code 2025-10-22T12:30:00.5+02:00}. */
    public static Instant timestamp(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.strip(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw TaskgateException.invalid(name + " must be an RFC 3339 timestamp such as 2025-10-22T10:30:00Z");
        }
    }

    /**
     * Task ids from repeated and/or comma-separated values: at most {@link TaskQuery#MAX_LIMIT}
     * distinct, well-formed ids.
     */
    public static Set<String> ids(Collection<String> values) {
        Set<String> ids = new LinkedHashSet<>();
        if (values == null) {
            return ids;
        }
        for (String value : values) {
            for (String part : value.split(",", -1)) {
                if (!part.isBlank()) {
                    ids.add(TaskId.checked(part.strip()));
                }
            }
        }
        if (ids.size() > TaskQuery.MAX_LIMIT) {
            throw TaskgateException.invalid("ids takes at most " + TaskQuery.MAX_LIMIT + " task ids");
        }
        return ids;
    }

    /**
     * A page size: 1 to {@link TaskQuery#MAX_LIMIT}; when absent, {@link TaskQuery#DEFAULT_LIMIT},
     * or as many as the {@code ids} asked for, so that they come on one page.
     */
    public static int limit(String value, Set<String> ids) {
        return value == null && !ids.isEmpty() ? ids.size() : limit(value);
    }

    /** A page size: 1 to {@link TaskQuery#MAX_LIMIT}, {@link TaskQuery#DEFAULT_LIMIT} when absent. */
    public static int limit(String value) {
        if (value == null) {
            return TaskQuery.DEFAULT_LIMIT;
        }
        try {
            return limit(Integer.parseInt(value.strip()));
        } catch (NumberFormatException e) {
            throw badLimit();
        }
    }

    public static int limit(int value) {
        if (value < 1 || value > TaskQuery.MAX_LIMIT) {
            throw badLimit();
        }
        return value;
    }

    private static TaskgateException badLimit() {
        return TaskgateException.invalid("limit must be a whole number between 1 and " + TaskQuery.MAX_LIMIT);
    }

    private static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
