package dev.taskgate.task;

import com.github.f4b6a3.ulid.UlidCreator;
import dev.taskgate.error.TaskgateException;

import java.util.regex.Pattern;

/** What task and session ids look like; anything else is refused before it reaches a query. */
public final class Ids {

    private static final Pattern TASK = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern SESSION = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");

    private Ids() {
    }

    /** {@code id} if it is a well-formed task id; INVALID_ARGUMENT otherwise. */
    public static String task(String id) {
        if (id == null || !TASK.matcher(id).matches()) {
            throw TaskgateException.invalid("Invalid task id: expected 1-64 characters from A-Z, a-z, 0-9, '_' and '-'");
        }
        return id;
    }

    /** {@code id} if it is a well-formed session id; INVALID_ARGUMENT otherwise. */
    public static String session(String id) {
        if (id == null || !SESSION.matcher(id).matches()) {
            throw TaskgateException.invalid(
                    "Invalid session_id: expected 1-128 characters from A-Z, a-z, 0-9 and . _ : @ -");
        }
        return id;
    }

    /** {@code id} if it is a well-formed approval id; INVALID_ARGUMENT otherwise. */
    public static String approval(String id) {
        if (id == null || !TASK.matcher(id).matches()) {
            throw TaskgateException.invalid(
                    "Invalid approval id: expected 1-64 characters from A-Z, a-z, 0-9, '_' and '-'");
        }
        return id;
    }

    /** A new task id: {@code task_} and a ULID, so ids sort by creation time. */
    static String newTask() {
        return "task_" + UlidCreator.getMonotonicUlid();
    }

    static String newApproval() {
        return "apr_" + UlidCreator.getMonotonicUlid();
    }

    static String newSession() {
        return "session_" + UlidCreator.getMonotonicUlid();
    }
}
