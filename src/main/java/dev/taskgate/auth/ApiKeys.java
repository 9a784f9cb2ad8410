package dev.taskgate.auth;

import dev.taskgate.config.TaskgateConfig;
import dev.taskgate.error.ErrorKind;
import dev.taskgate.error.TaskgateException;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheInvalidateAll;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CacheResult;
import io.quarkus.cache.CaffeineCache;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * Authenticates API keys against their SHA-256 hashes in PostgreSQL. Keys named in
 * {@code taskgate.api-keys} ({@code tenant:key,...}) are hashed and stored on start-up.
 * Plaintext keys are never stored or logged.
 */
@ApplicationScoped
public class ApiKeys {

    private static final Logger LOG = Logger.getLogger(ApiKeys.class);
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int MAX_KEY_LENGTH = 256;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Prefix of the rate-limit buckets of client addresses (requests without a known key). */
    public static final String ADDRESS_BUCKET = "address:";

    private final TaskgateConfig config;
    private final Cache cache;

    public ApiKeys(TaskgateConfig config, @CacheName("api-keys") Cache cache) {
        this.config = config;
        this.cache = cache;
    }

    /**
     * The tenant of a presented key; throws UNAUTHENTICATED when the key is missing, unknown or
     * revoked, and UNAVAILABLE on a process in the {@code worker} role, which serves no API.
     */
    public String authenticate(String presentedKey) {
        requireApiRole();
        if (presentedKey == null || presentedKey.isBlank() || presentedKey.length() > MAX_KEY_LENGTH) {
            throw TaskgateException.unauthorized();
        }
        return tenantOf(hash(presentedKey.strip())).orElseThrow(TaskgateException::unauthorized);
    }

    /**
     * The tenant of a presented key if its lookup is cached, without touching the database (so
     * it may run on an event-loop thread); empty when the database must be asked. Throws
     * UNAUTHENTICATED for a missing or malformed key or one cached as unknown.
     */
    public Optional<String> authenticateCached(String presentedKey) {
        requireApiRole();
        if (presentedKey == null || presentedKey.isBlank() || presentedKey.length() > MAX_KEY_LENGTH) {
            throw TaskgateException.unauthorized();
        }
        CompletableFuture<Object> cached = cache.as(CaffeineCache.class).getIfPresent(hash(presentedKey.strip()));
        if (cached == null || !cached.isDone() || cached.isCompletedExceptionally()) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        Optional<String> tenant = (Optional<String>) cached.join();
        return Optional.of(tenant.orElseThrow(TaskgateException::unauthorized));
    }

    /**
     * The bucket a request's rate limit is charged to, the same for REST headers and gRPC
     * metadata: the key's own (its hash) when the presented key is valid, and then only that one,
     * so that no traffic from the same address can lock a valid key out; otherwise (no key, an
     * unknown or revoked key, two different keys) the client address's, so that made-up keys cost
     * their sender and never get buckets of their own. Empty when the key's lookup is not cached:
     * then {@link #rateLimitBucket} decides, off the event loop.
     */
    public Optional<String> rateLimitBucketCached(String xApiKey, String authorization, String clientAddress) {
        try {
            String key = Credentials.presented(xApiKey, authorization);
            if (key == null) {
                return Optional.of(addressBucket(clientAddress));
            }
            return authenticateCached(key).map(tenant -> hash(key.strip()));
        } catch (TaskgateException noValidKey) {
            return Optional.of(addressBucket(clientAddress));
        }
    }

    /** {@link #rateLimitBucketCached}, looking the key up in the database when needed (a lookup that is then cached). */
    public String rateLimitBucket(String xApiKey, String authorization, String clientAddress) {
        return rateLimitBucketCached(xApiKey, authorization, clientAddress).orElseGet(() -> {
            String key = Credentials.presented(xApiKey, authorization);
            try {
                authenticate(key);
                return hash(key.strip());
            } catch (TaskgateException unknown) {
                return addressBucket(clientAddress);
            }
        });
    }

    private static String addressBucket(String clientAddress) {
        return ADDRESS_BUCKET + (clientAddress == null || clientAddress.isBlank() ? "unknown" : clientAddress);
    }

    private void requireApiRole() {
        if (!config.role().servesApi()) {
            throw new TaskgateException(ErrorKind.UNAVAILABLE,
                    "This instance runs the worker role and serves no API; use an api instance");
        }
    }

    /**
     * Cached lookup (self-invocation is intercepted by ArC, so the cache applies). Activates a
     * request context for the database session when called from a bare worker thread.
     */
    @CacheResult(cacheName = "api-keys")
    @ActivateRequestContext
    public Optional<String> tenantOf(String keyHash) {
        return ApiKey.<ApiKey>findByIdOptional(keyHash)
                .filter(key -> key.revokedAt == null)
                .map(key -> key.tenantId);
    }

    @Transactional
    void storeConfiguredKeys(@Observes StartupEvent event) {
        List<String> entries = config.apiKeys().orElse(List.of());
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i).strip();
            int colon = entry.indexOf(':');
            String tenant = colon > 0 ? entry.substring(0, colon) : "";
            String key = colon > 0 ? entry.substring(colon + 1) : "";
            if (!TENANT.matcher(tenant).matches() || key.isBlank() || key.length() > MAX_KEY_LENGTH) {
                throw new IllegalArgumentException("taskgate.api-keys entry #" + (i + 1)
                        + " is not a tenant:key pair (tenant: 1-64 of A-Z a-z 0-9 . _ -)");
            }
            // one statement, so replicas starting together on an empty table cannot both insert;
            // a stored key gets the current prefix (V8 and V22 changed stored prefixes; the key itself decides)
            ApiKey.getEntityManager().createNativeQuery("""
                            INSERT INTO api_keys (key_hash, tenant_id, key_prefix, source, created_at)
                            VALUES (:hash, :tenant, :prefix, 'config', now())
                            ON CONFLICT (key_hash) DO UPDATE SET key_prefix = EXCLUDED.key_prefix""")
                    .setParameter("hash", hash(key))
                    .setParameter("tenant", tenant)
                    .setParameter("prefix", prefix(key))
                    .executeUpdate();
        }
        LOG.infof("%d API key(s) from configuration available", entries.size());
    }

    /** Creates a key for a tenant; the plaintext is returned once and never stored. */
    @Transactional
    public CreatedKey create(String tenant) {
        if (tenant == null || !TENANT.matcher(tenant).matches()) {
            throw TaskgateException.invalid("tenant must be 1-64 characters from A-Z, a-z, 0-9, '.', '_' and '-'");
        }
        byte[] random = new byte[30];
        RANDOM.nextBytes(random);
        String key = "sk_live_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        ApiKey apiKey = new ApiKey();
        apiKey.keyHash = hash(key);
        apiKey.tenantId = tenant;
        apiKey.keyPrefix = prefix(key);
        apiKey.source = "admin";
        apiKey.createdAt = Instant.now();
        apiKey.persist();
        return new CreatedKey(key, view(apiKey));
    }

    /** What operators may see of a key: at most a quarter of it (and 12 characters), never enough to matter. */
    static String prefix(String key) {
        return key.substring(0, Math.min(12, key.length() / 4));
    }

    public List<KeyView> list() {
        return ApiKey.<ApiKey>listAll(io.quarkus.panache.common.Sort.by("createdAt")).stream().map(ApiKeys::view).toList();
    }

    /**
     * Revokes the key whose id (the first 16 hex characters of its hash) is given. Takes effect
     * at once on this replica and within the cache lifetime (30 s) on others.
     */
    @Transactional
    @CacheInvalidateAll(cacheName = "api-keys")
    public KeyView revoke(String id) {
        if (id == null || !id.matches("[0-9a-f]{16}")) {
            throw TaskgateException.invalid("Invalid key id: expected 16 hex characters");
        }
        ApiKey key = ApiKey.<ApiKey>find("keyHash like ?1", id + "%").firstResultOptional()
                .orElseThrow(() -> new TaskgateException(ErrorKind.NOT_FOUND, "API key not found"));
        if (key.revokedAt == null) {
            key.revokedAt = Instant.now();
        }
        return view(key);
    }

    private static KeyView view(ApiKey key) {
        return new KeyView(key.keyHash.substring(0, 16), key.tenantId, key.keyPrefix, key.source, key.createdAt,
                key.revokedAt);
    }

    /** What operators see of a key: never the key or its full hash. */
    public record KeyView(String id, String tenant, String prefix, String source, Instant createdAt, Instant revokedAt) {
    }

    public record CreatedKey(String key, KeyView info) {
    }

    public static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
