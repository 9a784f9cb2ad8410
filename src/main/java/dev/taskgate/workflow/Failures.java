package dev.taskgate.workflow;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;

import java.util.Set;

/** The application failure types activities raise and the workflow reads. */
public final class Failures {

    /** A transient provider failure (network, 429, 5xx); retried. The message is written for users. */
    public static final String PROVIDER_UNAVAILABLE = "ProviderUnavailable";
    /** A permanent provider failure (bad key, unknown model, refused request). The message is written for users. */
    public static final String PROVIDER_ERROR = "ProviderError";
    /** The task ended (e.g. was cancelled) while its workflow ran on; nothing more is spent on it. */
    public static final String TASK_ENDED = "TaskEnded";
    /** The worker is stopping; the attempt is handed to another worker. */
    public static final String WORKER_STOPPING = "WorkerStopping";

    private static final Set<String> USER_FACING = Set.of(PROVIDER_UNAVAILABLE, PROVIDER_ERROR);

    private Failures() {
    }

    /** The message of an activity failure that was written for users, if it is one. */
    static String userMessage(ActivityFailure failure) {
        return failure.getCause() instanceof ApplicationFailure app && USER_FACING.contains(app.getType())
                ? app.getOriginalMessage() : null;
    }
}
