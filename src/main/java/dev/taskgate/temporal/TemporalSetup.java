package dev.taskgate.temporal;

import dev.taskgate.config.TaskgateConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import com.uber.m3.tally.RootScopeBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import io.temporal.client.WorkflowClientOptions;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.temporal.serviceclient.SimpleSslContextBuilder;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import dev.taskgate.workflow.TaskWorkflowImpl;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import io.temporal.opentracing.OpenTracingClientInterceptor;
import io.temporal.opentracing.OpenTracingOptions;
import io.temporal.opentracing.OpenTracingWorkerInterceptor;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.opentracingshim.OpenTracingShim;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Connects to Temporal — an external cluster when {@code taskgate.temporal.target} is set,
 * otherwise Temporal's in-process server (no network port) — and runs the worker when
 * {@code taskgate.worker.enabled}.
 */
@ApplicationScoped
public class TemporalSetup {

    private static final Logger LOG = Logger.getLogger(TemporalSetup.class);

    private final TaskgateConfig config;
    private TestServer.InProcessTestServer embeddedServer;
    private volatile WorkerFactory workerFactory;

    public TemporalSetup(TaskgateConfig config) {
        this.config = config;
    }

    /** Temporal SDK metrics (workflow/activity task latencies, poll counts, ...) go to /q/metrics. */
    @Produces
    @Singleton
    WorkflowServiceStubs serviceStubs(MeterRegistry registry) {
        var options = WorkflowServiceStubsOptions.newBuilder()
                .setMetricsScope(new RootScopeBuilder()
                        .reporter(new MicrometerClientStatsReporter(registry))
                        .reportEvery(com.uber.m3.util.Duration.ofSeconds(10)));
        var target = config.temporal().target();
        if (target.isPresent()) {
            LOG.infof("Using Temporal at %s, namespace %s, TLS %s", target.get(), config.temporal().namespace(),
                    config.temporal().tls().enabled());
            if (config.temporal().tls().enabled()) {
                options.setSslContext(sslContext(config.temporal().tls()));
            }
            return WorkflowServiceStubs.newServiceStubs(options.setTarget(target.get()).build());
        }
        LOG.info("Starting the embedded in-process Temporal server (set TASKGATE_TEMPORAL_TARGET to use a cluster)");
        embeddedServer = TestServer.createServer(true);
        return WorkflowServiceStubs.newServiceStubs(options.setChannel(embeddedServer.getChannel()).build());
    }

    private static SslContext sslContext(TaskgateConfig.Temporal.Tls tls) {
        try {
            if (tls.clientCert().isPresent() && tls.clientKey().isPresent()) {
                try (InputStream cert = Files.newInputStream(Path.of(tls.clientCert().get()));
                     InputStream key = Files.newInputStream(Path.of(tls.clientKey().get()))) {
                    return SimpleSslContextBuilder.forPKCS8(cert, key).build();
                }
            }
            return SimpleSslContextBuilder.noKeyOrCertChain().build();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot set up TLS to Temporal: " + e.getMessage(), e);
        }
    }

    /**
     * Temporal's OpenTracing interceptors on an OpenTelemetry shim: the trace of the HTTP/gRPC
     * request that starts a workflow continues into the workflow and its activities. With the
     * SDK off (the default) the tracer is a no-op.
     */
    @Produces
    @Singleton
    OpenTracingOptions tracing(OpenTelemetry openTelemetry) {
        return OpenTracingOptions.newBuilder().setTracer(OpenTracingShim.createTracerShim(openTelemetry)).build();
    }

    @Produces
    @Singleton
    WorkflowClient workflowClient(WorkflowServiceStubs stubs, OpenTracingOptions tracing) {
        return WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder()
                .setNamespace(config.temporal().namespace())
                .setInterceptors(new OpenTracingClientInterceptor(tracing))
                .build());
    }

    void startWorker(@Observes StartupEvent event, WorkflowClient client, TaskStateActivitiesImpl state,
                     ModelActivitiesImpl models, ToolActivitiesImpl tools, OpenTracingOptions tracing) {
        if (!config.worker().enabled() || !config.role().runsWorker()) {
            LOG.infof("Worker disabled (role %s): this process does not run workflows", config.role());
            return;
        }
        var temporal = config.temporal();
        // a cached workflow waits on up to two threads: its own and its mode strategy's
        workerFactory = WorkerFactory.newInstance(client, WorkerFactoryOptions.newBuilder()
                .setWorkerInterceptors(new OpenTracingWorkerInterceptor(tracing))
                .setWorkflowCacheSize(temporal.cachedWorkflows())
                .setMaxWorkflowThreadCount(2 * temporal.cachedWorkflows())
                .build());
        // a heartbeat reaches the server at most once per interval: that bounds how soon a
        // cancel or a deadline reaches a model call in flight
        Worker worker = workerFactory.newWorker(temporal.taskQueue(), WorkerOptions.newBuilder()
                .setMaxHeartbeatThrottleInterval(temporal.heartbeatInterval())
                .setDefaultHeartbeatThrottleInterval(temporal.heartbeatInterval())
                .setStickyQueueScheduleToStartTimeout(temporal.stickyScheduleToStartTimeout())
                .setMaxConcurrentWorkflowTaskPollers(temporal.pollers())
                .setMaxConcurrentActivityTaskPollers(temporal.pollers())
                .setMaxConcurrentWorkflowTaskExecutionSize(temporal.concurrentWorkflowTasks())
                .setMaxConcurrentLocalActivityExecutionSize(temporal.concurrentWorkflowTasks())
                .setMaxConcurrentActivityExecutionSize(temporal.concurrentActivities())
                .build());
        worker.registerWorkflowImplementationTypes(TaskWorkflowImpl.class);
        worker.registerActivitiesImplementations(state, models, tools);
        workerFactory.start();
        LOG.infof("Worker polling task queue %s", config.temporal().taskQueue());
    }

    /** Whether this process's worker is polling the task queue. */
    public boolean workerRunning() {
        WorkerFactory factory = workerFactory;
        return factory != null && factory.isStarted() && !factory.isShutdown();
    }

    void stop(@Observes ShutdownEvent event, WorkflowServiceStubs stubs) {
        if (workerFactory != null && embeddedServer != null) {
            // The in-process server forgets its workflows when this process ends; the next start's
            // reconciliation restarts the tasks in flight, so waiting for their calls buys nothing.
            workerFactory.shutdownNow();
            workerFactory.awaitTermination(1, TimeUnit.SECONDS);
        } else if (workerFactory != null) {
            // Calls that outlast the wait are retried elsewhere once their heartbeat times out.
            workerFactory.shutdown();
            workerFactory.awaitTermination(25, TimeUnit.SECONDS);
        }
        stubs.shutdown();
        if (embeddedServer != null) {
            embeddedServer.close();
        }
    }
}
