package dev.sluice.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request that waits on a busy upstream account's fair queue and whose client gives up meanwhile is not forwarded
 * when its slot comes (round 23). Before, it was sent upstream anyway, billed and charged to the developer's budget for
 * an answer nobody read: three clients that left after a second were three paid answers three seconds later.
 */
class FairQueueClientLeftTest {
    @Test
    void aRequestWhoseClientLeftWhileQueuedIsNotForwarded(@TempDir Path data) throws Exception {
        try (SluiceHarness h = SluiceHarness.start(SluiceHarness.BASE_YAML + "store: {data-dir: \"" + data + "\"}\n" + """
                budgets:
                  fair-queue: {max-concurrent: 1, queue-size: 8, max-wait: 20s}
                  list:
                    - {name: dev, level: key, id: "*", usd: 100}
                """)) {
            String body = "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"%s\"}]}";
            CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> Http.post(h.gatewayUrl(), "/v1/messages",
                    body.formatted("slow"), "x-sim-ttft-ms", "2500", "x-sim-output-tokens", "10"));
            Thread.sleep(500); // the slow one holds the only slot
            HttpClient impatient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int i = 0; i < 3; i++) {
                HttpRequest r = Http.request(h.gatewayUrl(), "/v1/messages").timeout(Duration.ofMillis(400))
                        .POST(HttpRequest.BodyPublishers.ofString(body.formatted("gave up " + i))).build();
                try {
                    impatient.send(r, HttpResponse.BodyHandlers.ofString());
                } catch (HttpTimeoutException expected) {
                    // the client gives up and closes its connection
                }
            }
            assertThat(slow.join().statusCode()).isEqualTo(200);
            HttpResponse<String> after = Http.post(h.gatewayUrl(), "/v1/messages", body.formatted("after"), "x-sim-output-tokens", "10");
            assertThat(after.statusCode()).as("the slots of the abandoned requests were given back").isEqualTo(200);
            assertThat(h.recorder().received()).extracting(r -> r.bodyText().contains("gave up")).containsOnly(false);
            assertThat(h.recorder().received()).hasSize(2);
        }
    }
}
