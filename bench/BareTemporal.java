import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Baseline of bench/submit.sh: bare Temporal workflow starts against the same kind of server
 * Taskgate's embedded mode runs (the SDK's in-process test server, TestServer.createServer(true)),
 * with one worker in the same JVM (default options) and a workflow that returns its input.
 * CONNECTIONS threads start workflows for SECONDS (WorkflowClient.start, as Taskgate's submit
 * does); then every workflow is described until closed and its close time read.
 *
 * <pre>java -cp "target/quarkus-app/lib/main/*" bench/BareTemporal.java CONNECTIONS SECONDS</pre>
 */
public class BareTemporal {

    private static final String QUEUE = "bench-bare";

    @WorkflowInterface
    public interface Echo {
        @WorkflowMethod
        String run(String input);
    }

    public static class EchoImpl implements Echo {
        @Override
        public String run(String input) {
            return input;
        }
    }

    public static void main(String[] args) throws Exception {
        int connections = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        TestServer.InProcessTestServer server = TestServer.createServer(true);
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setChannel(server.getChannel()).build());
        WorkflowClient client = WorkflowClient.newInstance(stubs);
        WorkerFactory factory = WorkerFactory.newInstance(client);
        Worker worker = factory.newWorker(QUEUE);
        worker.registerWorkflowImplementationTypes(EchoImpl.class);
        factory.start();

        for (int i = 0; i < 50; i++) { // warm-up, not counted
            newStub(client, "warm-" + i).run("x");
        }

        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger sequence = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        long startMillis = System.currentTimeMillis();
        long start = System.nanoTime();
        long deadline = start + seconds * 1_000_000_000L;
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            workers.add(pool.submit(() -> {
                while (System.nanoTime() < deadline) {
                    String id = "bench-" + sequence.incrementAndGet();
                    try {
                        WorkflowClient.start(newStub(client, id)::run, "x");
                        ids.add(id);
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        double window = (System.nanoTime() - start) / 1e9;
        long windowEndMillis = startMillis + Math.round(window * 1000);

        List<String> snapshot = new ArrayList<>(ids);
        List<Long> closedAt = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        AtomicInteger notCompleted = new AtomicInteger();
        List<Future<?>> followers = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            followers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < snapshot.size(); i = next.getAndIncrement()) {
                    DescribeWorkflowExecutionResponse described = null;
                    for (int attempt = 0; attempt < 1200; attempt++) { // at most ~2 minutes per workflow
                        described = stubs.blockingStub().describeWorkflowExecution(
                                DescribeWorkflowExecutionRequest.newBuilder().setNamespace("default")
                                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(snapshot.get(i)))
                                        .build());
                        if (described.getWorkflowExecutionInfo().hasCloseTime()) {
                            break;
                        }
                        Thread.sleep(100);
                    }
                    var info = described.getWorkflowExecutionInfo();
                    if (info.getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
                        notCompleted.incrementAndGet();
                    }
                    closedAt.add(info.getCloseTime().getSeconds() * 1000 + info.getCloseTime().getNanos() / 1_000_000);
                }
                return null;
            }));
        }
        for (Future<?> f : followers) {
            f.get();
        }
        pool.shutdown();
        long inWindow = closedAt.stream().filter(t -> t <= windowEndMillis).count();
        long lastEnd = closedAt.stream().mapToLong(Long::longValue).max().orElse(startMillis);
        System.out.printf("BARE_TEMPORAL started %d in %.1f s = %.1f/s; errors %d; completed within the window %d"
                        + " = %.1f/s; all %d closed %.1f s after the first start (%.1f/s overall); not COMPLETED %d%n",
                snapshot.size(), window, snapshot.size() / window, errors.get(), inWindow, inWindow / window,
                snapshot.size(), (lastEnd - startMillis) / 1000.0,
                snapshot.size() * 1000.0 / Math.max(1, lastEnd - startMillis), notCompleted.get());
        System.out.printf("BARE_TEMPORAL_NUMBERS %.1f %.1f%n", snapshot.size() / window, inWindow / window);
        factory.shutdownNow();
        stubs.shutdownNow();
        server.close();
        System.exit(0);
    }

    private static Echo newStub(WorkflowClient client, String id) {
        return client.newWorkflowStub(Echo.class,
                WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(id).build());
    }
}
