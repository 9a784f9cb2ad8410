package dev.taskgate.task;

import dev.taskgate.error.TaskgateException;

import java.util.regex.Pattern;

/** What a task id may look like; anything else is refused before it reaches a query. */
public final class TaskId {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private TaskId() {
    }

    /** {@code id} if it is a well-formed task id; INVALID_ARGUMENT otherwise. */
    public static String checked(String id) {
        if (id == null || !VALID.matcher(id).matches()) {
            throw TaskgateException.invalid("Invalid task id: expected 1-64 characters from A-Z, a-z, 0-9, '_' and '-'");
        }
        return id;
    }
}
