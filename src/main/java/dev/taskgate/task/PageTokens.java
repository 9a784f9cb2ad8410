package dev.taskgate.task;

import dev.taskgate.error.TaskgateException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Opaque keyset cursors: the sort key of the last item of a page, signed with HMAC-SHA256, so a
 * forged or altered token is refused (INVALID_ARGUMENT) before it reaches a query. Paging by key
 * rather than offset stays correct while new rows arrive (they sort before the cursor). The key is
 * created once and shared by all replicas through PostgreSQL ({@code server_secrets}).
 */
@ApplicationScoped
public class PageTokens {

    /** Where a page ends: the sort instant (microseconds) and the tie-breaking id. */
    record Position(Instant at, String id) {
    }

    private static final String TASKS = "t1";
    private static final String SESSIONS = "s1";
    private static final String APPROVALS = "a1";
    private static final String SECRET = "page-tokens";
    private static final int MAC_BYTES = 16;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final EntityManager database;
    private volatile SecretKeySpec key;

    public PageTokens(EntityManager database) {
        this.database = database;
    }

    String tasks(Instant createdAt, String id) {
        return encode(TASKS, createdAt, id);
    }

    String sessions(Instant firstActivity, String sessionId) {
        return encode(SESSIONS, firstActivity, sessionId);
    }

    String approvals(Instant requestedAt, String id) {
        return encode(APPROVALS, requestedAt, id);
    }

    Position parseApprovals(String token) {
        return decode(APPROVALS, token);
    }

    Position parseTasks(String token) {
        return decode(TASKS, token);
    }

    Position parseSessions(String token) {
        return decode(SESSIONS, token);
    }

    private String encode(String kind, Instant at, String id) {
        long micros = Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
        byte[] payload = (kind + ":" + micros + ":" + id).getBytes(StandardCharsets.UTF_8);
        return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(mac(payload));
    }

    private Position decode(String kind, String token) {
        if (token == null) {
            return null;
        }
        try {
            int dot = token.indexOf('.');
            if (token.length() > 400 || dot < 0) {
                throw new IllegalArgumentException();
            }
            byte[] payload = Base64.getUrlDecoder().decode(token.substring(0, dot));
            if (!MessageDigest.isEqual(mac(payload), Base64.getUrlDecoder().decode(token.substring(dot + 1)))) {
                throw new IllegalArgumentException();
            }
            String[] parts = new String(payload, StandardCharsets.UTF_8).split(":", 3);
            if (parts.length != 3 || !parts[0].equals(kind) || !ID.matcher(parts[2]).matches()) {
                throw new IllegalArgumentException();
            }
            long micros = Long.parseLong(parts[1]);
            return new Position(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                    Math.floorMod(micros, 1_000_000L) * 1_000L), parts[2]);
        } catch (IllegalArgumentException | DateTimeException e) {
            throw TaskgateException.invalid("Invalid page_token: pass the next_page_token of a previous answer unchanged");
        }
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key());
            byte[] full = mac.doFinal(payload);
            byte[] shortened = new byte[MAC_BYTES];
            System.arraycopy(full, 0, shortened, 0, MAC_BYTES);
            return shortened;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private SecretKeySpec key() {
        SecretKeySpec known = key;
        if (known == null) {
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            byte[] shared = QuarkusTransaction.requiringNew().call(() -> {
                database.createNativeQuery("INSERT INTO server_secrets (name, secret) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
                        .setParameter(1, SECRET).setParameter(2, fresh).executeUpdate();
                return (byte[]) database.createNativeQuery("SELECT secret FROM server_secrets WHERE name = ?1")
                        .setParameter(1, SECRET).getSingleResult();
            });
            known = new SecretKeySpec(shared, "HmacSHA256");
            key = known;
        }
        return known;
    }
}
