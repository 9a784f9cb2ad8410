package dev.taskgate.idempotency;

import dev.taskgate.config.TaskgateConfig;
import dev.taskgate.error.ErrorKind;
import dev.taskgate.error.TaskgateException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * {@code Idempotency-Key} bookkeeping, per tenant, kept for {@code taskgate.idempotency.ttl}.
 * A key is bound to the operation and the request (by hash) it was first used with; reusing it
 * for anything else is {@link ErrorKind#UNPROCESSABLE}.
 */
@ApplicationScoped
public class IdempotencyKeys {

    private static final Logger LOG = Logger.getLogger(IdempotencyKeys.class);
    private static final int MAX_KEY_LENGTH = 255;

    private final IdempotencyRepository rows;
    private final Duration ttl;

    public IdempotencyKeys(IdempotencyRepository rows, TaskgateConfig config) {
        this.rows = rows;
        this.ttl = config.idempotency().ttl();
    }

    /** A usable key, or INVALID_ARGUMENT (1-255 printable ASCII characters). */
    public static String validKey(String key) {
        if (key == null) {
            return null;
        }
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw TaskgateException.invalid("Idempotency-Key must be 1-" + MAX_KEY_LENGTH + " printable ASCII characters");
        }
        return key;
    }

    /** SHA-256 (hex) of a canonical request text. */
    public static String hash(String canonicalRequest) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonicalRequest.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * In the caller's transaction: claims the key with its final answer already recorded (for
     * operations whose effect is written in that same transaction). Empty when claimed; otherwise
     * the earlier use, already checked to be the same request.
     */
    public Optional<IdempotencyRecord> claimDone(String tenant, String key, String operation, String hash,
                                                 int statusCode, String taskId) {
        if (rows.claim(tenant, key, operation, hash, true, statusCode, taskId, ttl)) {
            return Optional.empty();
        }
        return Optional.of(earlier(tenant, key, operation, hash));
    }

    /**
     * In its own transaction: claims the key as pending, for operations with effects outside the
     * database. Empty when claimed (then {@link #complete} or {@link #release} it); otherwise the
     * earlier, finished use of the same request. A use still in progress is a CONFLICT.
     */
    public Optional<IdempotencyRecord> claimPending(String tenant, String key, String operation, String hash,
                                                    String taskId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            if (rows.claim(tenant, key, operation, hash, false, 0, taskId, ttl)) {
                return Optional.<IdempotencyRecord>empty();
            }
            IdempotencyRecord earlier = earlier(tenant, key, operation, hash);
            if (!earlier.done()) {
                throw new TaskgateException(ErrorKind.CONFLICT,
                        "A request with this Idempotency-Key is still in progress; retry later");
            }
            return Optional.of(earlier);
        });
    }

    public void complete(String tenant, String key, int statusCode, String taskId, String response) {
        QuarkusTransaction.requiringNew().run(() -> rows.complete(tenant, key, statusCode, taskId, response));
    }

    /** Forgets a pending claim whose operation failed, so that a retry runs it again. */
    public void release(String tenant, String key) {
        try {
            QuarkusTransaction.requiringNew().run(() -> rows.release(tenant, key));
        } catch (RuntimeException e) {
            LOG.warnf("could not release an idempotency key (it expires on its own): %s", e.getMessage());
        }
    }

    @Scheduled(every = "${taskgate.idempotency.cleanup-every}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void deleteExpired() {
        int deleted = QuarkusTransaction.requiringNew().call(rows::deleteExpired);
        if (deleted > 0) {
            LOG.debugf("deleted %d expired idempotency keys", deleted);
        }
    }

    private IdempotencyRecord earlier(String tenant, String key, String operation, String hash) {
        IdempotencyRecord earlier = rows.find(tenant, key).orElseThrow(() -> new TaskgateException(ErrorKind.CONFLICT,
                "A request with this Idempotency-Key is still in progress; retry later"));
        if (!earlier.matches(operation, hash)) {
            throw new TaskgateException(ErrorKind.UNPROCESSABLE,
                    "Idempotency-Key was already used with a different request; use a new key for a new request");
        }
        return earlier;
    }
}
