package dev.taskgate.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The structured output of a planning call: {@code {"subtasks": ["...", ...]}}. Parsing is
 * tolerant (JSON embedded in prose, or a plain list) because not every model honours a schema.
 * A pure function, safe to use in workflow code.
 */
public final class Plans {

    public static final String INSTRUCTIONS = "Split the user's request into 2 to %d independent sub-tasks that together "
            + "answer it. Reply with JSON only, exactly in this shape: {\"subtasks\": [\"first sub-task\", \"second sub-task\"]}";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LIST_ITEM = Pattern.compile("^\\s*(?:[-*•]|\\d+[.)])\\s+(.+)$");

    private Plans() {
    }

    public static List<String> parse(String text, int max) {
        List<String> subtasks = fromJson(text);
        if (subtasks.isEmpty()) {
            for (String line : text.split("\\R")) {
                var item = LIST_ITEM.matcher(line);
                if (item.matches()) {
                    subtasks.add(item.group(1).strip());
                }
            }
        }
        return subtasks.size() > max ? List.copyOf(subtasks.subList(0, max)) : List.copyOf(subtasks);
    }

    private static List<String> fromJson(String text) {
        List<String> subtasks = new ArrayList<>();
        int start = text.indexOf('{');
        int end = text.lastIndexOf('}');
        if (start < 0 || end <= start) {
            return subtasks;
        }
        try {
            JsonNode items = JSON.readTree(text.substring(start, end + 1)).path("subtasks");
            for (JsonNode item : items) {
                String value = item.isTextual() ? item.asText() : item.path("description").asText(item.toString());
                if (!value.isBlank()) {
                    subtasks.add(value.strip());
                }
            }
        } catch (Exception notJson) {
            // fall back to a plain list
        }
        return subtasks;
    }
}
