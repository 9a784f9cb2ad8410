package dev.taskgate.task;

import dev.taskgate.error.TaskgateException;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tools whose calls wait for a person's decision ({@code require_approval}): names of known
 * tools, or {@value #ALL} for every tool. Stored comma-separated (tool names have no commas).
 */
public final class ToolNames {

    public static final String ALL = "*";
    private static final int MAX_NAMES = 32;

    private ToolNames() {
    }

    /** Whether a call of {@code tool} needs approval under {@code names}. */
    public static boolean requireApproval(List<String> names, String tool) {
        return names.contains(ALL) || names.contains(tool);
    }

    /** The names, each a known tool or {@value #ALL}, without repeats; BAD_REQUEST naming the first unknown one. */
    public static List<String> checked(List<String> names, Collection<String> known) {
        if (names == null) {
            return List.of();
        }
        if (names.size() > MAX_NAMES) {
            throw TaskgateException.invalid("require_approval has more than " + MAX_NAMES + " entries");
        }
        Set<String> checked = new LinkedHashSet<>();
        for (String name : names) {
            if (name == null || !(ALL.equals(name) || known.contains(name))) {
                throw TaskgateException.invalid("require_approval: unknown tool "
                        + (name == null ? "null" : "'" + Texts.forLog(name) + "'") + " (tools: "
                        + String.join(", ", new TreeSet<>(known)) + ", or \"*\" for all)");
            }
            checked.add(name);
        }
        return List.copyOf(checked);
    }

    static List<String> parse(String stored) {
        return stored == null || stored.isEmpty() ? List.of() : Arrays.asList(stored.split(","));
    }

    static String format(List<String> names) {
        return names.isEmpty() ? null : String.join(",", names);
    }
}
