package dev.taskgate.temporal;

import io.temporal.serviceclient.WorkflowServiceStubs;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the Temporal frontend answers its health check. */
@Readiness
@ApplicationScoped
public class TemporalHealthCheck implements HealthCheck {

    private final WorkflowServiceStubs stubs;

    public TemporalHealthCheck(WorkflowServiceStubs stubs) {
        this.stubs = stubs;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            var response = stubs.healthCheck();
            return HealthCheckResponse.named("temporal")
                    .status(response.getStatus().name().equals("SERVING"))
                    .withData("status", response.getStatus().name())
                    .build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("temporal").down().withData("error", "unreachable").build();
        }
    }
}
