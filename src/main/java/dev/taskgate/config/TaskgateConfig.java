package dev.taskgate.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Every Taskgate setting, under the {@code taskgate.*} prefix (environment: {@code TASKGATE_*}). */
@ConfigMapping(prefix = "taskgate")
public interface TaskgateConfig {

    /**
     * API keys accepted besides those stored in the database, as {@code tenant:key} pairs
     * (environment {@code TASKGATE_API_KEYS}, comma separated). Hashed and stored on start-up.
     */
    @WithName("api-keys")
    Optional<List<String>> apiKeys();

    Tasks tasks();

    Temporal temporal();

    Worker worker();

    Llm llm();

    Polling polling();

    Idempotency idempotency();

    @WithName("rate-limit")
    RateLimit rateLimit();

    interface Polling {
        /** The {@code Retry-After} hint on a QUEUED or RUNNING task, in whole seconds. */
        @WithDefault("2")
        int retryAfterSeconds();

        /** Largest {@code wait} of a long poll (REST {@code ?wait=}, gRPC WaitTask), in seconds. */
        @WithDefault("60")
        int maxWaitSeconds();

        /** How many terminal tasks are kept in memory (they never change, so they are served without a query). */
        @WithDefault("10000")
        int terminalCacheSize();
    }

    interface Idempotency {
        /** How long an {@code Idempotency-Key} is remembered per tenant. */
        @WithDefault("24h")
        Duration ttl();

        /** How often expired keys are deleted. */
        @WithDefault("10m")
        Duration cleanupEvery();
    }

    interface RateLimit {
        /** Off switch for the per-key limiter. */
        @WithDefault("true")
        boolean enabled();

        /** Sustained requests per minute per API key (the bucket's refill rate). */
        @WithDefault("600")
        int requestsPerMinute();

        /** Requests a key may make at once (the bucket's size). */
        @WithDefault("100")
        int burst();

        /**
         * Per-key exceptions as {@code <sha256 of the key, hex>:<requests per minute>:<burst>}
         * (environment {@code TASKGATE_RATE_LIMIT_KEYS}, comma separated). The key itself is never configured.
         */
        Optional<List<String>> keys();

        /** How many keys' buckets are kept in memory (least recently used are dropped). */
        @WithDefault("100000")
        int maxTrackedKeys();
    }

    interface Tasks {
        /** Largest accepted {@code query}, in UTF-8 bytes. */
        @WithDefault("32768")
        int maxQueryBytes();

        /** Deadline of a task that does not set {@code timeout_seconds}. */
        @WithDefault("300")
        int defaultTimeoutSeconds();

        /** Largest accepted {@code timeout_seconds}. */
        @WithDefault("3600")
        int maxTimeoutSeconds();

        /**
         * How long a QUEUED/RUNNING task may go without a status change before GET and the
         * reconciler ask Temporal whether its workflow is still alive.
         */
        @WithDefault("15s")
        Duration reconcileAfter();

        /** How often the background reconciler looks for such tasks. */
        @WithDefault("10s")
        Duration reconcileEvery();
    }

    interface Temporal {
        /** host:port of an external Temporal frontend; when absent an in-process server is started. */
        Optional<String> target();

        @WithDefault("default")
        String namespace();

        @WithDefault("taskgate-tasks")
        String taskQueue();
    }

    interface Worker {
        /** Whether this process polls the task queue and runs workflows and activities. */
        @WithDefault("true")
        boolean enabled();
    }

    interface Llm {
        Local local();

        interface Local {
            /** Honour {@code context.simulate} (delay, error, exact result) on tasks; for tests and demos. */
            @WithDefault("false")
            boolean simulation();
        }
    }
}
