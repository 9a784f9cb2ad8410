package dev.taskgate.task;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;

/**
 * Task metrics at {@code /q/metrics} (Prometheus): submissions, finished tasks and their
 * durations, and model tokens and cost.
 */
@ApplicationScoped
public class TaskMetrics {

    private final MeterRegistry registry;

    public TaskMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void submitted(ExecutionMode mode) {
        Counter.builder("taskgate.tasks.submitted").description("Tasks accepted")
                .tag("mode", name(mode)).register(registry).increment();
    }

    void finished(TaskStatus status, String mode, String provider, Duration duration) {
        String providerTag = provider == null || provider.isEmpty() ? "none" : provider;
        Counter.builder("taskgate.tasks.finished").description("Tasks that reached a terminal status")
                .tag("status", name(status)).tag("mode", mode.toLowerCase(Locale.ROOT)).tag("provider", providerTag)
                .register(registry).increment();
        Timer.builder("taskgate.task.duration").description("From submission to terminal status")
                .tag("status", name(status)).tag("mode", mode.toLowerCase(Locale.ROOT))
                .publishPercentileHistogram()
                .register(registry).record(duration);
    }

    void restarted(String reason) {
        Counter.builder("taskgate.tasks.restarted").description("Tasks run again from their stored input after their workflow was lost")
                .tag("reason", reason).register(registry).increment();
    }

    void modelCall(String provider, String model, long inputTokens, long outputTokens, BigDecimal cost) {
        Counter.builder("taskgate.llm.tokens").description("Model tokens")
                .tag("provider", provider).tag("model", model).tag("direction", "input")
                .register(registry).increment(inputTokens);
        Counter.builder("taskgate.llm.tokens").description("Model tokens")
                .tag("provider", provider).tag("model", model).tag("direction", "output")
                .register(registry).increment(outputTokens);
        Counter.builder("taskgate.llm.cost").description("Estimated model cost").baseUnit("usd")
                .tag("provider", provider).tag("model", model)
                .register(registry).increment(cost.doubleValue());
    }

    private static String name(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
