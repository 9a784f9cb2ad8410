package dev.taskgate.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.taskgate.config.TaskgateConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Per-API-key token buckets, held in this process's memory: each key may burst up to
 * {@code burst} requests and is refilled at {@code requests-per-minute}. With N replicas a key
 * gets up to N times its limit (each replica keeps its own buckets). The store cannot be
 * unavailable; callers still treat any failure here as "allow" so the API keeps working.
 * Keys are identified by the SHA-256 of the key, never the key itself.
 */
@ApplicationScoped
public class RateLimiter {

    /** The outcome of one request: allowed or not, and the values of the RateLimit headers. */
    public record Decision(boolean allowed, int limit, int remaining, long resetSeconds, long retryAfterSeconds) {
    }

    /** A bucket's configuration: capacity and refill per minute. */
    public record Limit(int requestsPerMinute, int burst) {
    }

    private final boolean enabled;
    private final Limit defaults;
    private final Map<String, Limit> perKey;
    private final Cache<String, Bucket> buckets;

    public RateLimiter(TaskgateConfig config) {
        TaskgateConfig.RateLimit settings = config.rateLimit();
        this.enabled = settings.enabled();
        this.defaults = valid(new Limit(settings.requestsPerMinute(), settings.burst()), "taskgate.rate-limit");
        this.perKey = overrides(settings.keys().orElse(List.of()));
        this.buckets = Caffeine.newBuilder()
                .maximumSize(settings.maxTrackedKeys())
                .expireAfterAccess(Duration.ofMinutes(30))
                .build();
    }

    public boolean enabled() {
        return enabled;
    }

    /** Takes one token from the bucket of {@code keyId} (the key's SHA-256 hex, or another stable client id). */
    public Decision acquire(String keyId) {
        Limit limit = perKey.getOrDefault(keyId, defaults);
        return buckets.get(keyId, id -> new Bucket(limit)).take(System.nanoTime());
    }

    private static Map<String, Limit> overrides(List<String> entries) {
        Map<String, Limit> limits = new HashMap<>();
        for (String entry : entries) {
            String[] parts = entry.strip().split(":");
            try {
                if (parts.length != 3 || !parts[0].matches("[0-9a-fA-F]{64}")) {
                    throw new IllegalArgumentException();
                }
                limits.put(parts[0].toLowerCase(Locale.ROOT), valid(new Limit(Integer.parseInt(parts[1]),
                        Integer.parseInt(parts[2])), "taskgate.rate-limit.keys"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "taskgate.rate-limit.keys entries are <sha256 of the key>:<requests per minute>:<burst>");
            }
        }
        return Map.copyOf(limits);
    }

    private static Limit valid(Limit limit, String name) {
        if (limit.requestsPerMinute() < 1 || limit.burst() < 1) {
            throw new IllegalArgumentException(name + ": requests per minute and burst must be at least 1");
        }
        return limit;
    }

    /** One key's bucket; synchronized, as a key's requests may arrive on several threads. */
    private static final class Bucket {

        private final int capacity;
        private final double perNano;
        private double tokens;
        private long last;

        Bucket(Limit limit) {
            this.capacity = limit.burst();
            this.perNano = limit.requestsPerMinute() / 60e9;
            this.tokens = capacity;
            this.last = System.nanoTime();
        }

        synchronized Decision take(long now) {
            tokens = Math.min(capacity, tokens + (now - last) * perNano);
            last = now;
            boolean allowed = tokens >= 1;
            if (allowed) {
                tokens -= 1;
            }
            long reset = seconds((capacity - tokens) / perNano);
            long retryAfter = allowed ? 0 : Math.max(1, seconds((1 - tokens) / perNano));
            return new Decision(allowed, capacity, (int) Math.floor(tokens), reset, retryAfter);
        }

        private static long seconds(double nanos) {
            return (long) Math.ceil(nanos / 1e9);
        }
    }
}
