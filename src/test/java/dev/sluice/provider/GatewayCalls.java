package dev.sluice.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.sim.BilledUsage;
import dev.sluice.testing.Await;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import dev.sluice.wire.Usage;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** What provider tests read back from the gateway: a request's ledger records, per attempt. */
public final class GatewayCalls {
    private GatewayCalls() {
    }

    /** The ledger's view of a request ({@code GET /sluice/v1/requests/{id}}), once it holds {@code attempts} records. */
    public static JsonNode records(String gatewayUrl, String requestId, int attempts) {
        return Await.until(Duration.ofSeconds(10), () -> {
            HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(gatewayUrl + "/sluice/v1/requests/" + requestId))
                    .header("x-api-key", SluiceHarness.GATEWAY_KEY).build());
            if (r.statusCode() != 200) {
                return null;
            }
            JsonNode json = Http.json(r.body());
            return json.path("attempts").size() == attempts ? json : null;
        }, () -> "ledger records of " + requestId);
    }

    /** One attempt's usage as the ledger holds it. */
    public static Usage usage(JsonNode attempt) {
        JsonNode u = attempt.path("usage");
        return new Usage(u.path("input_tokens").asLong(), u.path("output_tokens").asLong(),
                u.path("cache_creation_input_tokens").asLong(), u.path("cache_read_input_tokens").asLong(),
                u.at("/cache_creation/ephemeral_5m_input_tokens").asLong(), u.at("/cache_creation/ephemeral_1h_input_tokens").asLong(),
                0, 0);
    }

    /** What the simulator billed, in the same shape. */
    public static Usage usage(BilledUsage b) {
        return new Usage(b.inputTokens(), b.outputTokens(), b.cacheCreationInputTokens(), b.cacheReadInputTokens(),
                b.ephemeral5mInputTokens(), b.ephemeral1hInputTokens(), 0, 0);
    }
}
