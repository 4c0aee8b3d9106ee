package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.Gateway;
import dev.sluice.config.ConfigLoader;
import dev.sluice.record.SpendQuery;
import dev.sluice.record.SpendReports;
import dev.sluice.sim.SimOptions;
import dev.sluice.sim.SimServer;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code sluice demo}: starts the simulated upstream and the gateway side by side and sends a few
 * Claude-Code-shaped requests through, printing what a platform team would look at.
 */
@Command(name = "demo", description = "Start the gateway and the simulated upstream and send Claude-Code-shaped requests through.")
public final class DemoCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = dev.sluice.wire.Json.MAPPER;
    private final HttpClient http = HttpClient.newHttpClient();
    private String base;

    @Override
    public Integer call() throws Exception {
        Vertx vertx = Vertx.vertx();
        SimServer sim = SimServer.start(vertx, SimOptions.defaults().withTtftMillis(200).withTokensPerSecond(80)).await();
        Path data = Files.createTempDirectory("sluice-demo");
        String yaml = """
                server: {port: 0}
                upstreams:
                  - {name: sim, base-url: "%s", keys: [{alias: demo-key, value: sk-sim-demo}]}
                store: {data-dir: "%s"}
                cache: {store: {kind: memory, budget: 16MB}, defaults: {mode: on, scope: org, ttl: 1h}}
                """.formatted(sim.baseUrl(), data);
        Gateway gateway = Gateway.start(new ConfigLoader(System.getenv()).parse("demo", yaml)).await();
        base = gateway.baseUrl();
        System.out.println("Sluice demo: gateway " + base + " -> simulated Anthropic " + sim.baseUrl() + "\n");
        try {
            ObjectNode body = (ObjectNode) JSON.readTree(resource("/demo/claude-code-request.json"));
            System.out.printf("1. Claude Code turn (%,d-byte body, cache_control on system and tools), first time:%n", body.toString().length());
            send(body, "");
            System.out.println("2. The next question on the same prefix: the provider's prompt cache is read (cheaper):");
            send(asking(body, "And which tests cover it?"), "");
            System.out.println("3. The first turn again, as a teammate asks it: the gateway's response cache answers (no upstream call):");
            send(body, "");
            System.out.println("4. Streaming a new question, events relayed as they arrive:");
            stream(asking(body, "Summarise the module in one line.").put("stream", true));
            System.out.println("5. The upstream is overloaded (simulated 529), relayed as Anthropic sends it:");
            send(asking(body, "Anything else?"), "529");
            System.out.println("6. What the ledger holds, by model (the hit is provider `cache`, at $0):");
            gateway.stop().await();
            new SpendReports(dev.sluice.store.Database.open(dev.sluice.store.StoreSettings.sqlite(data)))
                    .report(SpendQuery.by("model")).forEach(r -> System.out.printf(
                            "   %-32s requests=%d in=%d out=%d cache_read=%d cost=$%s saved_by_prompt_cache=$%s%n",
                            r.group().get("model"), r.requests(), r.inputTokens(), r.outputTokens(), r.cacheReadTokens(),
                            r.costUsd().stripTrailingZeros().toPlainString(), r.providerCacheSavingsUsd().stripTrailingZeros().toPlainString()));
        } finally {
            vertx.close();
        }
        System.out.println("\nPoint Claude Code at a gateway: ANTHROPIC_BASE_URL=http://127.0.0.1:8787 claude   (after ./sluice serve)");
        return 0;
    }

    /** The request with one more question in its last user message: the same prefix, another answer. */
    private static ObjectNode asking(ObjectNode body, String question) {
        ObjectNode copy = body.deepCopy();
        JsonNode last = copy.withArray("messages").get(copy.withArray("messages").size() - 1);
        ((com.fasterxml.jackson.databind.node.ArrayNode) last.get("content")).addObject().put("type", "text").put("text", question);
        return copy;
    }

    private void send(JsonNode body, String fault) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = http.send(request(body, fault), HttpResponse.BodyHandlers.ofString());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("   HTTP %d in %d ms  cost=$%s cache=%s model=%s gateway-added=%s ms%n", r.statusCode(), ms,
                r.headers().firstValue("x-sluice-cost-usd").orElse("-"), r.headers().firstValue("x-sluice-cache").orElse("-"),
                r.headers().firstValue("x-sluice-model").orElse("-"), r.headers().firstValue("x-sluice-latency-ms").orElse("-"));
        JsonNode json = JSON.readTree(r.body());
        System.out.println("   " + (json.has("usage") ? "usage " + json.get("usage") : "error " + json.get("error")) + "\n");
    }

    private void stream(JsonNode body) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<InputStream> r = http.send(request(body, ""), HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            int deltas = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("event: ")) {
                    String type = line.substring(7);
                    deltas += type.equals("content_block_delta") ? 1 : 0;
                    if (!type.equals("content_block_delta") || deltas == 1) {
                        System.out.printf("   +%4d ms  %s%n", (System.nanoTime() - t0) / 1_000_000, type);
                    }
                }
            }
            String id = r.headers().firstValue("x-sluice-request-id").orElse("");
            HttpResponse<String> cost = http.send(HttpRequest.newBuilder(URI.create(base + "/sluice/v1/requests/" + id)).build(),
                    HttpResponse.BodyHandlers.ofString());
            System.out.printf("   (%d content deltas) its cost, settled at the end and read back from GET /sluice/v1/requests/%s: $%s%n%n",
                    deltas, id, cost.statusCode() == 200 ? JSON.readTree(cost.body()).get("cost_usd").asText() : "?");
        }
    }

    private HttpRequest request(JsonNode body, String fault) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/v1/messages"))
                .header("content-type", "application/json").header("anthropic-version", "2023-06-01")
                .header("anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14")
                .header("user-agent", "claude-cli/2.1.330 (external, cli)").header("x-app", "cli")
                .header("x-sluice-tag-repo", "payments")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        return fault.isEmpty() ? b.build() : b.header("x-sim-fault", fault).build();
    }

    private static String resource(String name) throws Exception {
        try (InputStream in = DemoCommand.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
