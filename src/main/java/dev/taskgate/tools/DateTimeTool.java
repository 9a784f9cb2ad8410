package dev.taskgate.tools;

import dev.taskgate.llm.ToolSpec;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/** The current date and time, in UTC or a named time zone. */
@ApplicationScoped
public class DateTimeTool implements Tool {

    private static final ToolSpec SPEC = new ToolSpec("current_datetime",
            "Returns the current date, time and weekday. Optional argument time_zone, e.g. Europe/Paris (default UTC).",
            Map.of());

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public String run(ToolContext context, Map<String, Object> arguments) {
        ZoneId zone;
        try {
            zone = arguments.get("time_zone") instanceof String name && !name.isBlank() ? ZoneId.of(name) : ZoneId.of("UTC");
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone");
        }
        ZonedDateTime now = ZonedDateTime.now(zone);
        return now.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME) + " (" + now.getDayOfWeek() + ", " + zone + ")";
    }
}
