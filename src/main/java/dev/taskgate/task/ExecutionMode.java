package dev.taskgate.task;

import dev.taskgate.error.TaskgateException;

import java.util.Locale;

public enum ExecutionMode {
    SIMPLE, STANDARD, COMPLEX;

    private static final String PREFIX = "EXECUTION_MODE_";

    /** Accepts {@code simple|standard|complex} (any case) or the {@code EXECUTION_MODE_*} names; null means SIMPLE. */
    public static ExecutionMode parse(String value) {
        if (value == null || value.isBlank()) {
            return SIMPLE;
        }
        String name = value.trim().toUpperCase(Locale.ROOT);
        if (name.startsWith(PREFIX)) {
            name = name.substring(PREFIX.length());
        }
        for (ExecutionMode mode : values()) {
            if (mode.name().equals(name)) {
                return mode;
            }
        }
        throw TaskgateException.invalid("Unknown mode '" + abbreviate(value)
                + "': expected one of simple, standard, complex");
    }

    private static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
