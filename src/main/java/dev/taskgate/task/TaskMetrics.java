package dev.taskgate.task;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

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

    void finished(TaskTransitions.Finished finished) {
        String mode = name(finished.mode());
        Counter.builder("taskgate.tasks.finished").description("Tasks that reached a terminal status")
                .tag("status", name(finished.status())).tag("mode", mode)
                .tag("provider", finished.provider() == null ? "unknown" : finished.provider())
                .register(registry).increment();
        Timer.builder("taskgate.task.duration").description("From submission to terminal status")
                .tag("status", name(finished.status())).tag("mode", mode)
                .publishPercentileHistogram()
                .register(registry).record(finished.age());
    }

    void restarted(String reason) {
        Counter.builder("taskgate.tasks.restarted").description("Tasks run again from their stored input after their workflow was lost")
                .tag("reason", reason).register(registry).increment();
    }

    void modelCall(ModelCall call) {
        Counter.builder("taskgate.llm.tokens").description("Model tokens")
                .tag("provider", call.provider()).tag("model", call.model()).tag("direction", "input")
                .register(registry).increment(call.inputTokens());
        Counter.builder("taskgate.llm.tokens").description("Model tokens")
                .tag("provider", call.provider()).tag("model", call.model()).tag("direction", "output")
                .register(registry).increment(call.outputTokens());
        Counter.builder("taskgate.llm.cost").description("Estimated model cost").baseUnit("usd")
                .tag("provider", call.provider()).tag("model", call.model())
                .register(registry).increment(call.cost().doubleValue());
    }

    private static String name(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
