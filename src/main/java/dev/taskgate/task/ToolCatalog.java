package dev.taskgate.task;

import java.util.List;

/** The names of the tools an agent can call, so that requests can name them. */
public interface ToolCatalog {

    List<String> names();
}
