import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens N concurrent SSE streams on running tasks of one Taskgate instance and reports the
 * time to the first event of each stream and the server's RSS and threads while they are open.
 * Usage: java bench/SseLoad.java <base-url> <api-key> <server-pid> <n>...
 */
public class SseLoad {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String key = args[1];
        long pid = Long.parseLong(args[2]);
        int tasks = 20;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            ids.add(submit(base, key));
        }
        long rssIdle = rssKb(pid);
        int threadsIdle = threads(pid);
        System.out.printf("baseline (no streams): RSS %d MiB, %d threads%n", rssIdle / 1024, threadsIdle);
        System.out.println("streams | first event p50 ms | p99 ms | max ms | RSS MiB | RSS vs baseline | KiB/stream | threads");
        for (int a = 3; a < args.length; a++) {
            int n = Integer.parseInt(args[a]);
            List<CompletableFuture<Long>> firsts = new ArrayList<>();
            List<Flow.Subscription> subscriptions = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long start = System.nanoTime();
                CompletableFuture<Long> first = new CompletableFuture<>();
                firsts.add(first);
                HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/tasks/" + ids.get(i % tasks) + "/stream"))
                        .header("X-API-Key", key).build();
                HTTP.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(new Flow.Subscriber<String>() {
                    public void onSubscribe(Flow.Subscription s) {
                        synchronized (subscriptions) { subscriptions.add(s); }
                        s.request(Long.MAX_VALUE);
                    }
                    public void onNext(String line) {
                        if (line.startsWith("id:")) {
                            first.complete(System.nanoTime() - start);
                        }
                    }
                    public void onError(Throwable t) { first.completeExceptionally(t); }
                    public void onComplete() { }
                }));
            }
            long[] millis = new long[n];
            for (int i = 0; i < n; i++) {
                millis[i] = TimeUnit.NANOSECONDS.toMillis(firsts.get(i).get(120, TimeUnit.SECONDS));
            }
            Arrays.sort(millis);
            Thread.sleep(2000);
            System.gc();
            long rss = rssKb(pid);
            System.out.printf("%7d | %17d | %6d | %6d | %7d | %14.2fx | %10.1f | %d%n", n, millis[n / 2],
                    millis[Math.min(n - 1, (int) (n * 0.99))], millis[n - 1], rss / 1024, (double) rss / rssIdle,
                    (double) (rss - rssIdle) / n, threads(pid));
            synchronized (subscriptions) {
                subscriptions.forEach(Flow.Subscription::cancel);
                subscriptions.clear();
            }
            Thread.sleep(3000);
        }
        for (String id : ids) {
            HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tasks/" + id + "/cancel"))
                    .header("X-API-Key", key).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
        }
    }

    static String submit(String base, String key) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tasks"))
                .header("X-API-Key", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"query\":\"hold\",\"timeout_seconds\":3600,\"context\":{\"simulate\":{\"delay_ms\":600000}}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("\"task_id\":\"([^\"]+)\"").matcher(response.body());
        if (!m.find()) {
            throw new IllegalStateException("submit failed: " + response.statusCode() + " " + response.body());
        }
        return m.group(1);
    }

    static long rssKb(long pid) throws Exception {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("VmRSS:")).map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(-1L);
    }

    static int threads(long pid) throws Exception {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("Threads:")).map(l -> Integer.parseInt(l.replaceAll("\\D", ""))).findFirst().orElse(-1);
    }
}
