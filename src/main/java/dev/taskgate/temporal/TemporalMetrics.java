package dev.taskgate.temporal;

import dev.taskgate.config.TaskgateConfig;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.inject.Singleton;

import java.util.Set;

/**
 * Keeps the Temporal SDK's metrics on /q/metrics to the few an operator watches — outcomes,
 * failures, backlog (schedule-to-start latency) and free worker slots — as counters, gauges and
 * timers without histogram buckets. {@code taskgate.temporal.all-metrics=true} restores all of them.
 */
@Singleton
public class TemporalMetrics implements MeterFilter {

    static final String PREFIX = "temporal_";

    static final Set<String> ESSENTIAL = Set.of(
            "temporal_workflow_completed", "temporal_workflow_failed", "temporal_workflow_canceled",
            "temporal_workflow_task_execution_failed", "temporal_workflow_task_schedule_to_start_latency",
            "temporal_activity_execution_failed", "temporal_activity_schedule_to_start_latency",
            "temporal_request_failure", "temporal_long_request_failure",
            "temporal_worker_task_slots_available", "temporal_sticky_cache_size");

    private final boolean all;

    public TemporalMetrics(TaskgateConfig.Temporal config) {
        this.all = config.allMetrics();
    }

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        if (all || !id.getName().startsWith(PREFIX)) {
            return MeterFilterReply.NEUTRAL;
        }
        return ESSENTIAL.contains(id.getName()) ? MeterFilterReply.NEUTRAL : MeterFilterReply.DENY;
    }

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (all || !id.getName().startsWith(PREFIX)) {
            return config;
        }
        return DistributionStatisticConfig.builder().percentilesHistogram(false).build().merge(config);
    }
}
