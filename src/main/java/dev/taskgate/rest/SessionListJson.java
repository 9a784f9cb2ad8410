package dev.taskgate.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.taskgate.proto.v1.ListSessionsResponse;

import java.util.List;

/** Answer of {@code GET /api/v1/sessions}; no token on the last page. */
public record SessionListJson(List<SessionJson> sessions,
                              @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("next_page_token") String nextPageToken) {

    static SessionListJson of(ListSessionsResponse page) {
        return new SessionListJson(page.getSessionsList().stream().map(SessionJson::of).toList(),
                page.getNextPageToken());
    }
}
