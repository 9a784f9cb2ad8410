package dev.taskgate.task;

import dev.taskgate.error.ErrorKind;
import dev.taskgate.error.TaskgateException;

import java.nio.charset.StandardCharsets;

/**
 * The rules every text from outside obeys before it is stored: what PostgreSQL and protobuf can
 * hold (no U+0000, no unpaired surrogate), a bound on its size, and for required texts something
 * visible (not only Unicode white space or invisible format characters such as U+200B). Texts
 * that Taskgate did not choose but must keep — model output, provider errors — are made storable
 * instead of refused, and every text from outside is escaped before it reaches a log line.
 */
public final class Texts {

    private static final int LOG_MAX = 200;

    private Texts() {
    }

    /** An optional text: null stays null; otherwise as {@link #checked}. */
    public static String optional(String field, String value, int maxChars) {
        return value == null ? null : checked(field, value, maxChars);
    }

    /** A required text: present and visible, and as {@link #checked}. */
    public static String required(String field, String value, int maxChars) {
        if (value == null || isBlank(value)) {
            throw TaskgateException.invalid(field + " is required and must not be empty");
        }
        return checked(field, value, maxChars);
    }

    /** A text of at most {@code maxChars} UTF-16 characters that PostgreSQL and protobuf can hold. */
    public static String checked(String field, String value, int maxChars) {
        if (value.length() > maxChars) {
            throw TaskgateException.invalid(field + " is longer than " + maxChars + " characters");
        }
        storableOrRefused(field, value);
        return value;
    }

    /** Like {@link #required}, bounded in UTF-8 bytes: over the bound is TOO_LARGE (413). */
    public static String requiredBytes(String field, String value, int maxBytes) {
        if (value == null || isBlank(value)) {
            throw TaskgateException.invalid(field + " is required and must not be empty");
        }
        storableOrRefused(field, value);
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) {
            throw new TaskgateException(ErrorKind.TOO_LARGE,
                    field + " is " + bytes + " bytes; the limit is " + maxBytes + " bytes");
        }
        return value;
    }

    /** Whether a text has nothing visible: only white space, control or invisible format characters. */
    public static boolean isBlank(String value) {
        return value.codePoints().allMatch(Texts::invisible);
    }

    /** A text that PostgreSQL and protobuf can hold: U+0000 removed, unpaired surrogates replaced by U+FFFD. */
    public static String storable(String text) {
        if (text == null || firstProblem(text) < 0) {
            return text;
        }
        StringBuilder clean = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                clean.append(c).append(text.charAt(++i));
            } else {
                clean.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return clean.toString();
    }

    /**
     * A text from outside as it may appear in a log line: control characters and line breaks
     * escaped (it cannot forge a line), at most 200 characters.
     */
    public static String forLog(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder escaped = new StringBuilder(Math.min(text.length(), LOG_MAX) + 8);
        for (int i = 0; i < text.length() && escaped.length() < LOG_MAX; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\t' -> escaped.append("\\t");
                case '\\' -> escaped.append("\\\\");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || Character.isSurrogate(c)) {
                        escaped.append(String.format("\\u%04x", (int) c));
                    } else {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.length() >= LOG_MAX && text.length() > LOG_MAX ? escaped + "..." : escaped.toString();
    }

    private static void storableOrRefused(String field, String value) {
        int at = firstProblem(value);
        if (at >= 0) {
            throw TaskgateException.invalid(field + (value.charAt(at) == 0
                    ? " must not contain the character U+0000" : " must be valid Unicode (an unpaired surrogate at character " + at + ")"));
        }
    }

    /** The index of the first U+0000 or unpaired surrogate, or -1. */
    private static int firstProblem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return i;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean invisible(int codePoint) {
        int type = Character.getType(codePoint);
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint)
                || type == Character.FORMAT || type == Character.CONTROL;
    }
}
