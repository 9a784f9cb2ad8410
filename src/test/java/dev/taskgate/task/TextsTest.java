package dev.taskgate.task;

import dev.taskgate.error.TaskgateException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules for texts from outside: storable, bounded, visible; escaped in logs. */
class TextsTest {

    @Test
    void logLinesCannotBeForged() {
        assertEquals("boom\\nFAKE 2026-01-01 INFO line\\r\\u0000\\u001b[31m", Texts.forLog("boom\nFAKE 2026-01-01 INFO line\r\u0000\u001b[31m"));
        assertEquals("a\\u2028b", Texts.forLog("a\u2028b"));
        assertEquals(203, Texts.forLog("x".repeat(5000)).length(), "at most 200 characters and an ellipsis");
        assertEquals("null", Texts.forLog(null));
    }

    @Test
    void foreignTextsAreMadeStorable() {
        assertEquals("ab", Texts.storable("a\u0000b"));
        assertEquals("a\uFFFDb", Texts.storable("a\uD800b"));
        assertEquals("\uD83D\uDE00", Texts.storable("\uD83D\uDE00"), "a surrogate pair is kept");
    }

    @Test
    void invisibleTextIsBlank() {
        assertTrue(Texts.isBlank("\u00a0\u200b\u2060\ufeff\t\u3000"));
        assertFalse(Texts.isBlank("\u200b x"));
        TaskgateException blank = assertThrows(TaskgateException.class, () -> Texts.required("query", "\u200b", 10));
        assertEquals("query is required and must not be empty", blank.getMessage());
        assertThrows(TaskgateException.class, () -> Texts.checked("reason", "r".repeat(11), 10));
    }
}
