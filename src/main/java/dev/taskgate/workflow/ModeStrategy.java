package dev.taskgate.workflow;

/**
 * How a task of one execution mode produces its answer. Runs inside the workflow, so it must be
 * deterministic: all I/O goes through {@link TaskSteps}.
 */
interface ModeStrategy {

    ModelAnswer run(TaskSteps steps);

    static ModeStrategy of(String mode) {
        return switch (mode) {
            case "STANDARD" -> new StandardMode();
            case "COMPLEX" -> new ComplexMode();
            default -> new SimpleMode();
        };
    }
}
