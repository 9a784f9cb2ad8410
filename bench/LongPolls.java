import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Opens N concurrent long polls (GET /api/v1/tasks/{id}?wait=S) against one task, prints
 * "OPEN" once all are sent, waits for a line on stdin (the script measures the server then
 * changes the task), and reports how many polls were answered, with which status, and how fast.
 *
 * Usage: java LongPolls.java <base url> <api key> <task id> <count> <wait seconds>
 */
public class LongPolls {
    public static void main(String[] args) throws Exception {
        String base = args[0];
        String key = args[1];
        String task = args[2];
        int count = Integer.parseInt(args[3]);
        int wait = Integer.parseInt(args[4]);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/tasks/" + task + "?wait=" + wait))
                .header("X-API-Key", key).timeout(Duration.ofSeconds(wait + 30L)).GET().build();
        List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
        long[] answeredAt = new long[count];
        for (int i = 0; i < count; i++) {
            int index = i;
            polls.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, e) -> answeredAt[index] = System.nanoTime()));
            if (i % 100 == 99) {
                Thread.sleep(50);
            }
        }
        Thread.sleep(3000);
        long early = polls.stream().filter(CompletableFuture::isDone).count();
        System.out.println("OPEN " + count + " (answered before the change: " + early + ")");
        System.out.flush();
        long changed = Long.parseLong(new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine().strip());
        int ok = 0;
        int failed = 0;
        String status = "";
        for (CompletableFuture<HttpResponse<String>> poll : polls) {
            try {
                HttpResponse<String> response = poll.get(wait + 30L, TimeUnit.SECONDS);
                if (response.statusCode() == 200) {
                    ok++;
                    int at = response.body().indexOf("\"status\":\"");
                    status = at < 0 ? "?" : response.body().substring(at + 10, response.body().indexOf('"', at + 10));
                } else {
                    failed++;
                }
            } catch (Exception e) {
                failed++;
            }
        }
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (long at : answeredAt) {
            first = Math.min(first, at);
            last = Math.max(last, at);
        }
        // "changed" is the epoch millisecond at which the script sent the cancel request
        long offset = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
        System.out.printf("ANSWERED %d failed %d last_status %s; after the cancel was sent: first answer %d ms,"
                        + " last answer %d ms%n", ok, failed, status,
                (first + offset) / 1_000_000L - changed, (last + offset) / 1_000_000L - changed);
    }
}
