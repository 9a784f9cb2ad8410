package dev.taskgate.task;

import dev.taskgate.error.TaskgateException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Opaque keyset cursors: the sort key of the last item of a page, base64url-encoded. Paging by
 * key rather than offset stays correct while new rows arrive (they sort before the cursor).
 */
final class PageTokens {

    /** Where a page ends: the sort instant (microseconds) and the tie-breaking id. */
    record Position(Instant at, String id) {
    }

    private static final String TASKS = "t1";
    private static final String SESSIONS = "s1";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");

    private PageTokens() {
    }

    static String tasks(Instant createdAt, String id) {
        return encode(TASKS, createdAt, id);
    }

    static String sessions(Instant lastActivity, String sessionId) {
        return encode(SESSIONS, lastActivity, sessionId);
    }

    static Position parseTasks(String token) {
        return decode(TASKS, token);
    }

    static Position parseSessions(String token) {
        return decode(SESSIONS, token);
    }

    private static String encode(String kind, Instant at, String id) {
        long micros = Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
        String raw = kind + ":" + micros + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static Position decode(String kind, String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        try {
            if (token.length() > 400) {
                throw new IllegalArgumentException();
            }
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            String[] parts = raw.split(":", 3);
            if (parts.length != 3 || !parts[0].equals(kind) || !ID.matcher(parts[2]).matches()) {
                throw new IllegalArgumentException();
            }
            long micros = Long.parseLong(parts[1]);
            return new Position(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                    Math.floorMod(micros, 1_000_000L) * 1_000L), parts[2]);
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw TaskgateException.invalid("Invalid page_token: pass the next_page_token of a previous answer unchanged");
        }
    }
}
