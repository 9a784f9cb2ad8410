package dev.taskgate.ratelimit;

import dev.taskgate.config.TaskgateConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Makes the rate limits hold across replicas. Every {@code taskgate.rate-limit.sync-interval},
 * one statement reports what each key spent on this replica since its last report to the key's
 * row in {@code rate_limit_buckets} (refilled for the time since its last update, less what was
 * spent) and hands the row's tokens back to the local bucket.
 *
 * <p>Requests never wait for PostgreSQL: between syncs each replica decides from its last view,
 * so together the replicas can overshoot a key's limit by what they admit within one interval.
 * The overshoot becomes debt (negative tokens, at most one burst) that is paid back before the
 * key is let through again, so the sustained rate holds. If PostgreSQL cannot be reached the
 * reports are kept for the next sync and each replica goes on with its own buckets (fail open).
 */
@ApplicationScoped
public class SharedBuckets {

    private static final Logger LOG = Logger.getLogger(SharedBuckets.class);

    static final String SYNC = """
            INSERT INTO rate_limit_buckets AS b (key_id, tokens, capacity, per_second, updated_at)
            SELECT k, c - s, c, r, now()
              FROM unnest($1::text[], $2::float8[], $3::float8[], $4::float8[]) AS t(k, s, c, r)
            ON CONFLICT (key_id) DO UPDATE SET
              tokens = greatest(-excluded.capacity,
                  least(excluded.capacity,
                        b.tokens + excluded.per_second * extract(epoch FROM now() - b.updated_at)::float8)
                  - (excluded.capacity - excluded.tokens)),
              capacity = excluded.capacity, per_second = excluded.per_second, updated_at = now()
            RETURNING key_id, tokens""";

    /** A row untouched this long describes a full bucket (or one nobody uses): it can go. */
    static final String FORGET_IDLE = "DELETE FROM rate_limit_buckets WHERE updated_at < now() - interval '1 hour'";

    private final RateLimiter limiter;
    private final TaskgateConfig.RateLimit settings;
    private final Vertx vertx;
    private final Instance<Pool> pool;
    private final Optional<String> url;
    private final AtomicBoolean syncing = new AtomicBoolean();
    private volatile boolean failing;
    private volatile long timer = -1;

    public SharedBuckets(RateLimiter limiter, TaskgateConfig config, Vertx vertx, Instance<Pool> pool,
                         @ConfigProperty(name = "quarkus.datasource.reactive.url") Optional<String> url) {
        this.limiter = limiter;
        this.settings = config.rateLimit();
        this.vertx = vertx;
        this.pool = pool;
        this.url = url;
    }

    /** Whether buckets are shared through PostgreSQL in this process. */
    public boolean active() {
        return timer >= 0;
    }

    void start(@Observes StartupEvent event) {
        if (!limiter.enabled() || settings.store() != TaskgateConfig.RateLimit.Store.POSTGRESQL) {
            return;
        }
        if (url.isEmpty()) {
            LOG.warn("quarkus.datasource.reactive.url is not set: rate limits are kept per replica");
            return;
        }
        timer = vertx.setPeriodic(Math.max(10, settings.syncInterval().toMillis()), id -> sync());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Reports and adopts once; a sync still running makes this one a no-op. */
    void sync() {
        if (!syncing.compareAndSet(false, true)) {
            return;
        }
        List<RateLimiter.Report> reports = limiter.unreported();
        if (reports.isEmpty()) {
            syncing.set(false);
            return;
        }
        int n = reports.size();
        String[] keys = new String[n];
        Double[] spent = new Double[n];
        Double[] capacity = new Double[n];
        Double[] perSecond = new Double[n];
        Map<String, RateLimiter.Report> byKey = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            RateLimiter.Report report = reports.get(i);
            keys[i] = report.keyId();
            spent[i] = (double) report.spent();
            capacity[i] = (double) report.limit().burst();
            perSecond[i] = report.limit().requestsPerMinute() / 60.0;
            byKey.put(report.keyId(), report);
        }
        try {
            pool.get().preparedQuery(SYNC)
                    .execute(Tuple.of(keys, spent, capacity, perSecond))
                    .onSuccess(rows -> {
                        try {
                            for (Row row : rows) {
                                byKey.get(row.getString("key_id")).adopt(row.getDouble("tokens"));
                            }
                            if (failing) {
                                failing = false;
                                LOG.info("rate limit buckets are shared again");
                            }
                        } finally {
                            syncing.set(false);
                        }
                    })
                    .onFailure(e -> failed(reports, e));
        } catch (RuntimeException e) {
            failed(reports, e);
        }
    }

    /** Keeps the counts for the next sync; meanwhile each replica limits on its own. */
    private void failed(List<RateLimiter.Report> reports, Throwable cause) {
        reports.forEach(RateLimiter.Report::restore);
        if (!failing) {
            failing = true;
            LOG.warnf("rate limit buckets cannot be shared now (%s): each replica limits on its own"
                    + " until PostgreSQL answers", cause.getMessage());
        }
        syncing.set(false);
    }

    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void forgetIdle() {
        if (active()) {
            pool.get().query(FORGET_IDLE).execute()
                    .onFailure(e -> LOG.debugf("idle rate limit buckets not deleted now: %s", e.getMessage()));
        }
    }
}
