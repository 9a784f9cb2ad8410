package dev.taskgate.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every Taskgate setting, under the {@code taskgate.*} prefix (environment: {@code TASKGATE_*}).
 * It is long because it is the one place each setting is declared with its default and meaning
 * (docs/configuration.md is checked against it). {@link ConfigSlices} hands a class the group it
 * needs; the few that read settings of several groups (start-up wiring, limits) take it whole.
 */
@ConfigMapping(prefix = "taskgate")
public interface TaskgateConfig {

    /**
     * API keys accepted besides those stored in the database, as {@code tenant:key} pairs
     * (environment {@code TASKGATE_API_KEYS}, comma separated). Hashed and stored on start-up.
     */
    @WithName("api-keys")
    Optional<List<String>> apiKeys();

    /** What this process does: {@code api} (REST, gRPC, streams), {@code worker} (runs workflows) or {@code all}. */
    @WithDefault("all")
    Role role();

    /**
     * Token for the key-management endpoints under {@code /admin} (environment
     * {@code TASKGATE_ADMIN_TOKEN}); without it those endpoints are off.
     */
    Optional<String> adminToken();

    Retention retention();

    Webhooks webhooks();

    enum Role {
        API, WORKER, ALL;

        public boolean servesApi() {
            return this != WORKER;
        }

        public boolean runsWorker() {
            return this != API;
        }
    }

    interface Retention {
        /** Finished tasks (and their events and usage rows) older than this are deleted. */
        @WithDefault("30d")
        Duration maxAge();

        /** How often the retention job runs. */
        @WithDefault("1h")
        Duration every();
    }

    /**
     * Where the embedded mode keeps its PostgreSQL data (environment {@code TASKGATE_DATA_DIR}).
     * Read by {@code TaskgateMain} before start-up; unused when a datasource URL is configured.
     */
    @WithDefault(".taskgate")
    String dataDir();

    Tasks tasks();

    Temporal temporal();

    Events events();

    Worker worker();

    Llm llm();

    Tools tools();

    Http http();

    Polling polling();

    Idempotency idempotency();

    @WithName("rate-limit")
    RateLimit rateLimit();

    interface Http {
        /** The longest request line (method, path and query) answered; a longer one is 414 with the JSON error. */
        @WithDefault("4096")
        int maxRequestLine();

        /** The most header bytes a request may send; more is 431 with the JSON error. */
        @WithDefault("20480")
        int maxHeaders();
    }

    interface Tools {
        /** The longest one tool call may run; past it the model is told the tool took too long. */
        @WithDefault("10s")
        Duration timeout();

        /** The longest tool result sent to the model and stored in an event; a longer one is cut. */
        @WithDefault("16384")
        int maxOutputChars();
    }

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

        /**
         * How long a QUEUED or RUNNING task read for a poll may be served from memory; a change
         * announced by NOTIFY drops it sooner. 0 reads every poll from the database.
         */
        @WithDefault("1s")
        Duration unfinishedMaxAge();
    }

    interface Webhooks {
        /** Whether webhook URLs may use plain {@code http} (only {@code https} otherwise; embedded mode: true). */
        @WithDefault("false")
        boolean allowHttp();

        /**
         * Whether webhook URLs may resolve to loopback, private, link-local or cloud-metadata
         * addresses (embedded mode: true). Checked when a URL is given and again before each send.
         */
        @WithDefault("false")
        boolean allowPrivateNetworks();

        /** Waits before the 2nd, 3rd, ... attempt of a delivery; after the last one it has failed. */
        @WithDefault("5s,5m,30m,2h,5h,10h,10h")
        List<Duration> retrySchedule();

        /** The longest one attempt may take (connect, send, response headers and body). */
        @WithDefault("10s")
        Duration attemptTimeout();

        /** How long a rotated-out secret still signs (a second signature in {@code webhook-signature}). */
        @WithDefault("24h")
        Duration rotationGrace();

        /** How often each replica looks for due deliveries (a task's end also wakes it at once). */
        @WithDefault("1s")
        Duration pollInterval();

        /** Deliveries one replica sends at once. */
        @WithDefault("16")
        int maxConcurrent();

        /**
         * Key (base64, 32 bytes) that encrypts the stored endpoint secrets (environment
         * {@code TASKGATE_WEBHOOKS_ENCRYPTION_KEY}); without it a key is generated once and kept in
         * the database's {@code server_secrets}.
         */
        Optional<String> encryptionKey();
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
         * Sustained requests per minute per client address for requests without a key known to be
         * valid (no key, a wrong key, or a key not looked up in the last 30 s).
         */
        @WithDefault("120")
        int unauthenticatedRequestsPerMinute();

        /** Such requests a client address may make at once. */
        @WithDefault("30")
        int unauthenticatedBurst();

        /**
         * Per-key exceptions as {@code <sha256 of the key, hex>:<requests per minute>:<burst>}
         * (environment {@code TASKGATE_RATE_LIMIT_KEYS}, comma separated). The key itself is never configured.
         */
        Optional<List<String>> keys();

        /** How many keys' buckets are kept in memory (least recently used are dropped). */
        @WithDefault("100000")
        int maxTrackedKeys();

        /**
         * Where buckets live: {@code postgresql} (shared by all replicas, each synchronizing
         * every {@code sync-interval}) or {@code memory} (each replica on its own).
         */
        @WithDefault("postgresql")
        Store store();

        /** How often a replica reports what its keys spent to the shared buckets and adopts their state. */
        @WithDefault("250ms")
        Duration syncInterval();

        enum Store { POSTGRESQL, MEMORY }
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
         * How long a QUEUED/RUNNING task may go without a status change before the reconciler
         * asks Temporal whether its workflow is still alive.
         */
        @WithDefault("15s")
        Duration reconcileAfter();

        /** How often the background reconciler looks for such tasks. */
        @WithDefault("10s")
        Duration reconcileEvery();

        /**
         * How long a running workflow's next workflow task may stay scheduled without any worker
         * starting it, while workers poll its queue, before the reconciler runs the task again
         * from its stored input (a workflow task handed to a worker that died is never started).
         */
        @WithDefault("30s")
        Duration lostWorkflowTaskAfter();

        /**
         * The longest a task waits for a person — a decision on an approval, or a resume — for a
         * task that does not set {@code approval_timeout_seconds}. It then ends with TIMEOUT.
         */
        @WithDefault("86400")
        int defaultApprovalTimeoutSeconds();

        /** Largest accepted {@code approval_timeout_seconds} (7 days). */
        @WithDefault("604800")
        int maxApprovalTimeoutSeconds();
    }

    interface Temporal {
        /** host:port of an external Temporal frontend; when absent an in-process server is started. */
        Optional<String> target();

        @WithDefault("default")
        String namespace();

        @WithDefault("taskgate-tasks")
        String taskQueue();

        /**
         * How long a worker may take on one workflow task before Temporal hands it out again;
         * also how late a workflow notices a cancel whose workflow task the server rejected.
         */
        @WithDefault("10s")
        Duration workflowTaskTimeout();

        /**
         * How long a model call may go without a heartbeat before Temporal gives it to another
         * worker: about how long a killed worker's calls take to resume elsewhere.
         */
        @WithDefault("20s")
        Duration heartbeatTimeout();

        /**
         * How often a running model call heartbeats (at most; it also bounds how soon a cancel or
         * timeout reaches a call in flight).
         */
        @WithDefault("2s")
        Duration heartbeatInterval();

        /**
         * How long a request's call to Temporal (starting a task's workflow, cancelling or
         * signalling it) retries while Temporal is unreachable. The request then goes on without
         * it: the task is stored, the reconciler starts its workflow, a workflow reads its task's
         * row again.
         */
        @WithDefault("5s")
        Duration callTimeout();

        /**
         * How long a workflow's next workflow task waits for the worker that ran its last one
         * (sticky execution, which saves replaying its history) before any worker may take it.
         * {@code 0s} turns sticky execution off: needed with Temporal's Java test server run as
         * its own process, which never gives a dead worker's sticky tasks to another worker.
         */
        @WithDefault("5s")
        Duration stickyScheduleToStartTimeout();

        /**
         * Concurrent polls for workflow tasks, and as many for activity tasks (the SDK's default).
         * With the in-process server, 2 lets more workflow starts through under load (fewer polls
         * contend for its locks) but slows each task down a little.
         */
        @WithDefault("5")
        @WithConverter(AtLeastOne.class)
        int pollers();

        /**
         * Workflows a worker keeps in memory between their steps (Temporal's sticky cache), each
         * holding up to two threads while it waits. Beyond it the least recently used is evicted
         * and rebuilt from its history when it next moves on: more replay work, bounded threads.
         */
        @WithDefault("100")
        @WithConverter(AtLeastOne.class)
        int cachedWorkflows();

        /**
         * Workflow tasks a worker runs at once, and as many task-state steps (local activities,
         * one short transaction each, inside a workflow task). Mostly CPU and the connection
         * pool: a few per core.
         */
        @WithDefault("8")
        @WithConverter(AtLeastOne.class)
        int concurrentWorkflowTasks();

        /**
         * Model calls and tool runs a worker runs at once (each on its own thread, mostly waiting
         * for a provider). Further ones wait in Temporal's task queue, for this worker or another.
         */
        @WithDefault("100")
        @WithConverter(AtLeastOne.class)
        int concurrentActivities();

        /**
         * Every metric of the Temporal SDK on /q/metrics (hundreds of histogram series) instead of
         * the few an operator watches.
         */
        @WithDefault("false")
        boolean allMetrics();

        Tls tls();

        interface Tls {
            /** Connect to the external Temporal frontend over TLS (e.g. Temporal Cloud). */
            @WithDefault("false")
            boolean enabled();

            /** PEM client certificate chain for mTLS; with {@link #clientKey()}. */
            Optional<String> clientCert();

            /** PEM PKCS#8 private key of the client certificate. */
            Optional<String> clientKey();
        }
    }

    interface Events {
        /** Interval of the SSE heartbeat comment on an idle stream (also a re-read of the event table). */
        @WithDefault("15s")
        Duration heartbeat();
    }

    interface Worker {
        /** Whether this process polls the task queue and runs workflows and activities. */
        @WithDefault("true")
        boolean enabled();
    }

    /**
     * Model providers, tiers, prices and the agent's limits. Environment variables use the usual
     * mapping, e.g. {@code TASKGATE_LLM_OPENAI_API_KEY}, {@code TASKGATE_LLM_DEFAULT_PROVIDER}.
     */
    interface Llm {
        /** Provider of tasks that name neither a provider nor a tier: local, openai or anthropic. */
        @WithDefault("local")
        String defaultProvider();

        Local local();

        /** Any OpenAI-compatible chat-completions endpoint (OpenAI, vLLM, Ollama, LM Studio, ...). */
        Remote openai();

        /** The Anthropic Messages API. */
        Remote anthropic();

        /** {@code small|medium|large} → provider and model. */
        Map<String, Tier> tiers();

        /** USD per million tokens, by model name: {@code taskgate.llm.prices."gpt-4o-mini".input=0.15}. */
        Map<String, Price> prices();

        Retry retry();

        Agent agent();

        interface Local {
            /**
             * Honour {@code context.simulate} on tasks ({@code delay_ms}, {@code chunk_delay_ms},
             * {@code error}, {@code error_retryable}, {@code result}); for tests and demos.
             */
            @WithDefault("false")
            boolean simulation();
        }

        interface Remote {
            /** Endpoint root, e.g. {@code https://api.openai.com/v1}; the provider is enabled when this or a key is set. */
            Optional<String> baseUrl();

            /** Secret; from the environment in production. Never logged or returned. */
            Optional<String> apiKey();

            /** Model of tasks that name no model. */
            Optional<String> model();

            /** Further models tasks may name (models in the price table are accepted too). */
            Optional<List<String>> models();

            /** HTTP timeout of one call. */
            @WithDefault("120s")
            Duration timeout();

            /** Largest answer, in tokens (Anthropic requires one). */
            @WithDefault("2048")
            int maxTokens();

            /**
             * Stream answers (so streams can show them as {@code LLM_PARTIAL} pieces). Plans are
             * never streamed. Usage must then come in the stream: OpenAI-compatible servers must
             * honour {@code stream_options.include_usage}.
             */
            @WithDefault("false")
            boolean stream();
        }

        interface Tier {
            String provider();

            String model();
        }

        interface Price {
            /** USD per million input tokens. */
            BigDecimal input();

            /** USD per million output tokens. */
            BigDecimal output();
        }

        /** Temporal's retries of a failed model call (transient errors only). */
        interface Retry {
            @WithDefault("3")
            int maxAttempts();

            @WithDefault("1s")
            Duration initialInterval();

            @WithDefault("2.0")
            double backoffCoefficient();

            @WithDefault("30s")
            Duration maximumInterval();
        }

        interface Agent {
            /** Most model calls of a STANDARD task's tool loop. */
            @WithDefault("6")
            int maxSteps();

            /** Most sub-tasks a COMPLEX plan may have; longer plans are cut. */
            @WithDefault("5")
            int maxSubtasks();

            /** Sub-tasks of one COMPLEX task running at once. */
            @WithDefault("3")
            int subtaskConcurrency();

            /** Earlier turns of the session sent as history. */
            @WithDefault("10")
            int historyTurns();

            /** Token budget of that history (about four characters a token); older turns are dropped first. */
            @WithDefault("4000")
            int historyTokens();
        }
    }
}
