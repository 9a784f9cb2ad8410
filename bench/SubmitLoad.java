import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load driver of bench/submit.sh (JDK 17, no dependencies): submits tasks to Taskgate and follows
 * them to a terminal status with long polls (GET /api/v1/tasks/{id}?wait=30).
 *
 * <pre>
 * java SubmitLoad.java warmup     BASE KEY CONNECTIONS SECONDS   mixed tasks, not measured: lets the JIT compile the hot paths
 * java SubmitLoad.java latency    BASE KEY COUNT                 sequential submit -> COMPLETED per mode
 * java SubmitLoad.java throughput BASE KEY CONNECTIONS SECONDS   sustained submits/s and completions/s
 * java SubmitLoad.java burst      BASE KEY COUNT CONNECTIONS PID SETTLE
 *                                  peak threads and RSS while a burst drains, and both SETTLE seconds after it
 * </pre>
 * Every loop is bounded by a count or a deadline; only the given base URL is contacted.
 */
public class SubmitLoad {

    private static final Pattern TASK_ID = Pattern.compile("\"task_id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"TASK_STATUS_([A-Z_]+)\"");
    private static final Pattern UPDATED = Pattern.compile("\"updated_at\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern MODE = Pattern.compile("\"mode\"\\s*:\\s*\"EXECUTION_MODE_([A-Z_]+)\"");
    private static final List<String> TERMINAL = List.of("COMPLETED", "FAILED", "CANCELLED", "TIMEOUT");

    private static final String SIMPLE = "{\"query\":\"What is the capital of France?\",\"mode\":\"simple\"}";
    private static final String STANDARD = "{\"query\":\"What is 17 * 23?\",\"mode\":\"standard\"}";
    private static final String COMPLEX = "{\"query\":\"Compare the capitals of France and Germany\",\"mode\":\"complex\"}";

    private static HttpClient client;
    private static String base;
    private static String key;

    public static void main(String[] args) throws Exception {
        base = args[1];
        key = args[2];
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        switch (args[0]) {
            case "warmup" -> warmup(Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            case "latency" -> latency(Integer.parseInt(args[3]));
            case "throughput" -> throughput(Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            case "burst" -> burst(Integer.parseInt(args[3]), Integer.parseInt(args[4]), Long.parseLong(args[5]),
                    Integer.parseInt(args[6]));
            default -> throw new IllegalArgumentException("warmup | latency | throughput | burst");
        }
    }

    /**
     * CONNECTIONS threads run SIMPLE, STANDARD and COMPLEX tasks in turn, each followed to its end,
     * for SECONDS: a service that has run a while, as the latency run should see it, not one whose
     * code is still being compiled.
     */
    static void warmup(int connections, int seconds) throws Exception {
        String[] kinds = {SIMPLE, STANDARD, COMPLEX};
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int first = c;
            workers.add(pool.submit(() -> {
                for (int i = first; System.nanoTime() < deadline; i++) {
                    follow(submit(kinds[i % kinds.length]).id, 60);
                    done.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
        System.out.printf("WARMUP %d tasks over %d connections in %d s%n", done.get(), connections, seconds);
    }

    /** One task after the other per mode: submit alone, and submit until COMPLETED seen. */
    static void latency(int count) throws Exception {
        String[][] kinds = {{"SIMPLE", SIMPLE}, {"STANDARD", STANDARD}, {"COMPLEX", COMPLEX}};
        for (String[] kind : kinds) {
            for (int i = 0; i < 5; i++) { // warm-up, not counted
                follow(submit(kind[1]).id, 60);
            }
            List<Double> total = new ArrayList<>();
            List<Double> submitOnly = new ArrayList<>();
            int failed = 0;
            String lastMode = "?";
            String lastStatus = "?";
            for (int i = 0; i < count; i++) {
                long start = System.nanoTime();
                Submitted submitted = submit(kind[1]);
                long accepted = System.nanoTime();
                String body = follow(submitted.id, 60);
                long done = System.nanoTime();
                lastStatus = group(STATUS, body);
                lastMode = group(MODE, body);
                if (!"COMPLETED".equals(lastStatus)) {
                    failed++;
                    continue;
                }
                total.add((done - start) / 1e6);
                submitOnly.add((accepted - start) / 1e6);
            }
            System.out.printf("LATENCY %s %.1f %.1f %.1f %d %s %s%n", kind[0], pct(total, 50), pct(total, 90),
                    pct(submitOnly, 50), failed, lastMode, lastStatus);
        }
    }

    /** CONNECTIONS threads submit for SECONDS; then every task is followed to its end. */
    static void throughput(int connections, int seconds) throws Exception {
        for (int i = 0; i < 50; i++) { // warm-up, not counted
            follow(submit(SIMPLE).id, 60);
        }
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        List<Double> submitMs = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger errors = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        long startMillis = System.currentTimeMillis();
        long start = System.nanoTime();
        long deadline = start + seconds * 1_000_000_000L;
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            workers.add(pool.submit(() -> {
                while (System.nanoTime() < deadline) {
                    long t = System.nanoTime();
                    try {
                        ids.add(submit(SIMPLE).id);
                        submitMs.add((System.nanoTime() - t) / 1e6);
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        double window = (System.nanoTime() - start) / 1e9;
        long windowEndMillis = startMillis + Math.round(window * 1000);
        // Follow each task to its end; its updated_at is when it got there (server clock, same machine).
        List<Long> endedAt = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger notCompleted = new AtomicInteger();
        List<String> snapshot = new ArrayList<>(ids);
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> followers = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            followers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < snapshot.size(); i = next.getAndIncrement()) {
                    String body = follow(snapshot.get(i), 120);
                    if (!"COMPLETED".equals(group(STATUS, body))) {
                        notCompleted.incrementAndGet();
                    }
                    // updated_at has whole seconds: take the middle of its second
                    endedAt.add(Instant.parse(group(UPDATED, body)).toEpochMilli() + 500);
                }
                return null;
            }));
        }
        for (Future<?> follower : followers) {
            follower.get();
        }
        pool.shutdown();
        long inWindow = endedAt.stream().filter(t -> t <= windowEndMillis).count();
        long lastEnd = endedAt.stream().mapToLong(Long::longValue).max().orElse(startMillis);
        System.out.printf("THROUGHPUT submitted %d in %.1f s = %.1f/s; submit p50 %.1f ms p99 %.1f ms; errors %d;"
                        + " completed within the window %d = %.1f/s; all %d ended %.1f s after the first submit"
                        + " (%.1f/s overall); not COMPLETED %d%n",
                snapshot.size(), window, snapshot.size() / window, pct(submitMs, 50), pct(submitMs, 99), errors.get(),
                inWindow, inWindow / window, snapshot.size(), (lastEnd - startMillis) / 1000.0,
                snapshot.size() * 1000.0 / Math.max(1, lastEnd - startMillis), notCompleted.get());
        System.out.printf("THROUGHPUT_NUMBERS %.1f %.1f%n", snapshot.size() / window, inWindow / window);
    }

    /** COUNT tasks at once over CONNECTIONS; the process's threads and RSS sampled until all have ended. */
    static void burst(int count, int connections, long pid, int settleSeconds) throws Exception {
        Path status = Path.of("/proc/" + pid + "/status");
        long[] before = sample(status);
        long[] peak = before.clone();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                try {
                    long[] now = sample(status);
                    synchronized (peak) {
                        peak[0] = Math.max(peak[0], now[0]);
                        peak[1] = Math.max(peak[1], now[1]);
                    }
                    Thread.sleep(50);
                } catch (Exception e) {
                    return;
                }
            }
        });
        sampler.start();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger errors = new AtomicInteger();
        long start = System.nanoTime();
        List<Future<?>> submits = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            submits.add(pool.submit(() -> {
                try {
                    ids.add(submit(SIMPLE).id);
                } catch (Exception e) {
                    errors.incrementAndGet();
                }
            }));
        }
        for (Future<?> submit : submits) {
            submit.get();
        }
        double submitted = (System.nanoTime() - start) / 1e9;
        AtomicInteger notCompleted = new AtomicInteger();
        List<Future<?>> followers = new ArrayList<>();
        for (String id : ids) {
            followers.add(pool.submit(() -> {
                try {
                    if (!"COMPLETED".equals(group(STATUS, follow(id, 180)))) {
                        notCompleted.incrementAndGet();
                    }
                } catch (Exception e) {
                    notCompleted.incrementAndGet();
                }
            }));
        }
        for (Future<?> follower : followers) {
            follower.get();
        }
        double drained = (System.nanoTime() - start) / 1e9;
        sampling.set(false);
        sampler.join();
        pool.shutdown();
        Thread.sleep(settleSeconds * 1000L); // what the JVM gives back once the load is over
        long[] after = sample(status);
        System.out.printf("BURST %d tasks: submitted in %.1f s, all ended after %.1f s; submit errors %d, not COMPLETED %d%n",
                ids.size(), submitted, drained, errors.get(), notCompleted.get());
        System.out.printf("BURST_NUMBERS %d %d %d %d %d %d%n", before[0], before[1] / 1024, peak[0], peak[1] / 1024,
                after[0], after[1] / 1024);
    }

    /** {threads, VmRSS kB} of a process. */
    static long[] sample(Path status) throws IOException {
        long threads = 0;
        long rss = 0;
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("Threads:")) {
                threads = Long.parseLong(line.substring(8).trim());
            } else if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.substring(6).replace("kB", "").trim());
            }
        }
        return new long[] {threads, rss};
    }

    record Submitted(String id) {
    }

    static Submitted submit(String json) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tasks"))
                .header("X-API-Key", key).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202 && response.statusCode() != 200 && response.statusCode() != 201) {
            throw new IOException("submit answered " + response.statusCode() + ": " + response.body());
        }
        return new Submitted(group(TASK_ID, response.body()));
    }

    /** Long polls (each answers on a status change) until the task has ended or seconds have passed. */
    static String follow(String id, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        String body = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/v1/tasks/" + id + "?wait=30"))
                            .header("X-API-Key", key).timeout(Duration.ofSeconds(60)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            body = response.body();
            if (response.statusCode() == 200 && TERMINAL.contains(group(STATUS, body))) {
                return body;
            }
            if (response.statusCode() != 200) {
                Thread.sleep(100);
            }
        }
        return body;
    }

    static String group(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? matcher.group(1) : "?";
    }

    static double pct(List<Double> values, int percentile) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
