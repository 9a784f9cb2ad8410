package dev.taskgate.workflow;

/**
 * How a task of one execution mode produces its answer. Runs inside the workflow, so it must be
 * deterministic: all I/O goes through activities.
 */
interface ModeStrategy {

    ModelAnswer run(String taskId, TaskInput input);

    static ModeStrategy of(String mode, TaskActivities model, TaskActivities tools) {
        return switch (mode) {
            case "STANDARD" -> new StandardMode(model, tools);
            case "COMPLEX" -> new ComplexMode(model);
            default -> new SimpleMode(model);
        };
    }
}
