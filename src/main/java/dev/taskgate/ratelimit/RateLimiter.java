package dev.taskgate.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.taskgate.auth.ApiKeys;
import dev.taskgate.config.TaskgateConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Per-API-key token buckets: each key may burst up to {@code burst} requests and is refilled at
 * {@code requests-per-minute}. Every request is decided here, in memory, without a round trip;
 * each bucket also counts the requests it allowed since it was last reported, so that
 * {@link SharedBuckets} can merge all replicas' buckets in PostgreSQL and hand each replica the
 * shared state back ({@link #unreported()}, {@link Report#adopt}). Callers treat any failure here
 * as "allow", so the API keeps working. Keys are identified by the SHA-256 of the key, never the
 * key itself.
 */
@ApplicationScoped
public class RateLimiter {

    /** The outcome of one request: allowed or not, and the values of the RateLimit headers. */
    public record Decision(boolean allowed, int limit, int remaining, long resetSeconds, long retryAfterSeconds) {
    }

    /** A bucket's configuration: capacity and refill per minute. */
    public record Limit(int requestsPerMinute, int burst) {
    }

    /** Requests one bucket allowed since its last report; {@link #adopt} or {@link #restore} it afterwards. */
    public record Report(String keyId, long spent, Bucket bucket) {

        /** The bucket's configuration. */
        public Limit limit() {
            return bucket.limit;
        }

        /** The shared bucket, with this report applied, has {@code tokens} now. */
        public void adopt(double tokens) {
            bucket.adopt(tokens, System.nanoTime());
        }

        /** The report did not reach the shared store: count it again next time. */
        public void restore() {
            bucket.restore(spent);
        }
    }

    private final boolean enabled;
    private final Limit defaults;
    private final Limit unauthenticated;
    private final Map<String, Limit> perKey;
    private final Cache<String, Bucket> buckets;

    public RateLimiter(TaskgateConfig config) {
        TaskgateConfig.RateLimit settings = config.rateLimit();
        this.enabled = settings.enabled();
        this.defaults = valid(new Limit(settings.requestsPerMinute(), settings.burst()), "taskgate.rate-limit");
        this.unauthenticated = valid(new Limit(settings.unauthenticatedRequestsPerMinute(),
                settings.unauthenticatedBurst()), "taskgate.rate-limit.unauthenticated");
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
        Limit limit = keyId.startsWith(ApiKeys.ADDRESS_BUCKET) ? unauthenticated : perKey.getOrDefault(keyId, defaults);
        return buckets.get(keyId, id -> new Bucket(limit)).take(System.nanoTime());
    }

    /** Drains, for every bucket that allowed requests since its last report, how many it allowed. */
    public List<Report> unreported() {
        List<Report> reports = new ArrayList<>();
        buckets.asMap().forEach((keyId, bucket) -> {
            long spent = bucket.drain();
            if (spent > 0) {
                reports.add(new Report(keyId, spent, bucket));
            }
        });
        return reports;
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
    public static final class Bucket {

        private final Limit limit;
        private final int capacity;
        private final double perNano;
        private double tokens;
        private long last;
        private long unreported;

        Bucket(Limit limit) {
            this.limit = limit;
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
                unreported++;
            }
            long reset = seconds((capacity - tokens) / perNano);
            long retryAfter = allowed ? 0 : Math.max(1, seconds((1 - tokens) / perNano));
            return new Decision(allowed, capacity, (int) Math.max(0, Math.floor(tokens)), reset, retryAfter);
        }

        synchronized long drain() {
            long spent = unreported;
            unreported = 0;
            return spent;
        }

        synchronized void restore(long spent) {
            unreported += spent;
        }

        /** Takes the shared state: its tokens, less what this bucket allowed since its report was drained. */
        synchronized void adopt(double shared, long now) {
            tokens = Math.min(capacity, shared) - unreported;
            last = now;
        }

        private static long seconds(double nanos) {
            return (long) Math.ceil(nanos / 1e9);
        }
    }
}
