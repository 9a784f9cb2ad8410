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

    /** What this process does: {@code api} (REST, gRPC, streams), {@code worker} (runs workflows) or {@code all}. */
    @WithDefault("all")
    Role role();

    /**
     * Token for the key-management endpoints under {@code /admin} (environment
     * {@code TASKGATE_ADMIN_TOKEN}); without it those endpoints are off.
     */
    Optional<String> adminToken();

    Retention retention();

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

    interface Llm {
        Local local();

        interface Local {
            /** Honour {@code context.simulate} (delay, error, exact result) on tasks; for tests and demos. */
            @WithDefault("false")
            boolean simulation();
        }
    }
}
