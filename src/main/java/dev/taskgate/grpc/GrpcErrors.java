package dev.taskgate.grpc;

import dev.taskgate.error.DatabaseErrors;
import dev.taskgate.error.TaskgateException;
import io.grpc.Status;
import jakarta.persistence.PersistenceException;
import org.jboss.logging.Logger;

/** The gRPC statuses of the same failures REST maps to HTTP statuses. */
final class GrpcErrors {

    private static final Logger LOG = Logger.getLogger(GrpcErrors.class);

    private GrpcErrors() {
    }

    static Status toStatus(Throwable e) {
        if (e instanceof TaskgateException t) {
            Status status = switch (t.kind()) {
                case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
                case UNAUTHENTICATED -> Status.UNAUTHENTICATED;
                case NOT_FOUND -> Status.NOT_FOUND;
                case CONFLICT -> Status.FAILED_PRECONDITION;
                case UNPROCESSABLE -> Status.INVALID_ARGUMENT;
                case RATE_LIMITED -> Status.RESOURCE_EXHAUSTED;
                case TOO_LARGE -> Status.RESOURCE_EXHAUSTED;
                case UNAVAILABLE -> Status.UNAVAILABLE;
                case INTERNAL -> Status.INTERNAL;
            };
            return status.withDescription(t.getMessage());
        }
        if (e instanceof PersistenceException) {
            LOG.errorf("database error (%s)", DatabaseErrors.describe(e));
            return Status.UNAVAILABLE.withDescription("database error");
        }
        LOG.error("unexpected error", e);
        return Status.INTERNAL.withDescription("Internal error");
    }
}
