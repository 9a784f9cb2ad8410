package dev.taskgate.error;

/** A failure whose message is safe to show to the caller as it is. */
public class TaskgateException extends RuntimeException {

    private final ErrorKind kind;

    public TaskgateException(ErrorKind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public ErrorKind kind() {
        return kind;
    }

    public static TaskgateException invalid(String message) {
        return new TaskgateException(ErrorKind.INVALID_ARGUMENT, message);
    }

    public static TaskgateException taskNotFound() {
        return new TaskgateException(ErrorKind.NOT_FOUND, "Task not found");
    }

    public static TaskgateException unauthorized() {
        return new TaskgateException(ErrorKind.UNAUTHENTICATED, "Unauthorized");
    }
}
