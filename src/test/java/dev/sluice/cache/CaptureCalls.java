package dev.sluice.cache;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.SluiceHarness;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

/** Sending a Claude Code capture through a test gateway as the CLI sends it, and reading the usage it got back. */
public final class CaptureCalls {
    /** The beta list Claude Code 2.1.330 sends (the simulator refuses its system-role messages without per-turn-control). */
    public static final String BETAS = "claude-code-20250219,interleaved-thinking-2025-05-14,context-management-2025-06-27,"
            + "per-turn-control-2026-07-01,mid-conversation-tool-changes-2026-07-01,thinking-token-count-2026-05-13,"
            + "advanced-tool-use-2025-11-20,effort-2025-11-24";

    private CaptureCalls() {
    }

    /** A {@code POST /v1/messages?beta=true} of {@code body} with the CLI's headers and the harness's gateway key. */
    public static HttpRequest.Builder request(SluiceHarness gw, String body) {
        return HttpRequest.newBuilder(URI.create(gw.gatewayUrl() + "/v1/messages?beta=true"))
                .timeout(Duration.ofSeconds(30)).header("x-api-key", SluiceHarness.GATEWAY_KEY)
                .header("anthropic-version", "2023-06-01").header("content-type", "application/json")
                .header("anthropic-beta", BETAS)
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    /** The {@code data} of each event of an SSE body, parsed. */
    public static java.util.List<JsonNode> events(String sse) throws IOException {
        java.util.List<JsonNode> out = new java.util.ArrayList<>();
        for (String frame : sse.split("\n\n")) {
            int at = frame.indexOf("data: ");
            if (at >= 0) {
                out.add(Json.MAPPER.readTree(frame.substring(at + 6)));
            }
        }
        return out;
    }
}
