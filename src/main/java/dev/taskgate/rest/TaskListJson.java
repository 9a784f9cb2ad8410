package dev.taskgate.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.taskgate.proto.v1.ListTasksResponse;

import java.util.List;

/** Answer of {@code GET /api/v1/tasks}: {@code {"tasks": [...], "next_page_token": "..."}}, no token on the last page. */
public record TaskListJson(List<TaskJson> tasks,
                           @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("next_page_token") String nextPageToken) {

    static TaskListJson of(ListTasksResponse page) {
        return new TaskListJson(page.getTasksList().stream().map(TaskJson::of).toList(), page.getNextPageToken());
    }
}
