package dev.taskgate.workflow;

import java.util.List;

/** A COMPLEX task's plan, parsed from the planning call's answer inside the activity. */
public record Plan(List<String> subtasks, ModelReply reply) {

    public Plan {
        subtasks = subtasks == null ? List.of() : List.copyOf(subtasks);
    }
}
