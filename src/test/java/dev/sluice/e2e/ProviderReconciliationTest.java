package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.record.SpendQuery;
import dev.sluice.record.SpendReports;
import dev.sluice.record.SpendRow;
import dev.sluice.settle.Meter;
import dev.sluice.settle.PriceTable;
import dev.sluice.sim.BedrockSim;
import dev.sluice.sim.BilledUsage;
import dev.sluice.sim.VertexSim;
import dev.sluice.store.Database;
import dev.sluice.store.StoreSettings;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import dev.sluice.wire.Usage;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger against what the simulated providers billed, provider by provider: Claude Code's own request through
 * Bedrock (SigV4), Vertex AI, Foundry and an OpenAI upstream, streamed and not, with prompt-cache writes and reads;
 * OpenAI clients through the front door to Anthropic and OpenAI; embeddings. Tokens of every kind and nano-dollars
 * must be equal, nothing estimated.
 */
class ProviderReconciliationTest {
    /** Upstream credentials, one per provider, so the simulator's bills can be told apart. */
    private static final Map<String, String> PROVIDER_BY_KEY = Map.of(
            BedrockSim.ACCESS_KEY_ID, "bedrock", VertexSim.STATIC_TOKEN, "vertex", "foundry-key-1", "foundry",
            "sk-openai-recon", "openai", SluiceHarness.UPSTREAM_KEY, "anthropic");

    @TempDir
    Path data;

    @Test
    void everyProvidersLedgerEqualsWhatItBilled() throws Exception {
        String yaml = """
                server: {port: 0, event-loops: 2}
                auth: {keys: ["${GATEWAY_KEY}"]}
                store: {kind: sqlite, data-dir: "%s"}
                upstreams:
                  - {name: anthropic, base-url: "${SIM_URL}", keys: [{alias: a, value: "${UPSTREAM_KEY}"}]}
                  - {name: bedrock, provider: bedrock, base-url: "${SIM_URL}", region: us-east-1, auth: sigv4,
                     keys: [{alias: iam, value: "%s:%s"}]}
                  - {name: vertex, provider: vertex, base-url: "${SIM_URL}", project: sim-project, region: us-east5,
                     keys: [{alias: token, value: "%s"}]}
                  - {name: foundry, provider: foundry, base-url: "${SIM_URL}/anthropic", keys: [{alias: f, value: foundry-key-1}]}
                  - {name: openai, provider: openai, base-url: "${SIM_URL}", keys: [{alias: o, value: sk-openai-recon}],
                     models: {gpt-sonnet: gpt-4.1}}
                routes:
                  - {match: "bedrock-*", upstream: bedrock, model: claude-sonnet-4-5-20250929}
                  - {match: "vertex-*", upstream: vertex, model: claude-sonnet-4-5-20250929}
                  - {match: "foundry-*", upstream: foundry, model: claude-haiku-4-5-20251001}
                  - {match: "gpt-*", upstream: openai}
                  - {match: "text-embedding-*", upstream: openai}
                  - {match: "*", upstream: anthropic}
                """.formatted(data, BedrockSim.ACCESS_KEY_ID, BedrockSim.SECRET_ACCESS_KEY, VertexSim.STATIC_TOKEN);
        List<BilledUsage> billed;
        int requests = 0;
        try (SluiceHarness h = SluiceHarness.start(yaml)) {
            ObjectNode claudeCode = claudeCodeBody();
            for (String model : List.of("bedrock-sonnet", "vertex-sonnet", "foundry-haiku", "gpt-sonnet")) {
                for (int i = 0; i < 2; i++) {
                    assertThat(messages(h, claudeCode.deepCopy().put("model", model).put("stream", false)).statusCode()).isEqualTo(200);
                    assertThat(messages(h, claudeCode.deepCopy().put("model", model).put("stream", true)).body()).contains("message_stop");
                    requests += 2;
                }
            }
            for (String stream : List.of("false", "true")) {
                for (String model : List.of(SluiceHarness.MODEL, "gpt-4.1")) {
                    HttpResponse<String> r = openAi(h, "/v1/chat/completions", "{\"model\":\"" + model + "\",\"stream\":" + stream
                            + ",\"stream_options\":" + (stream.equals("true") ? "{\"include_usage\":true}" : "null")
                            + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hello from an OpenAI client\"}]}");
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    requests++;
                }
            }
            for (int i = 0; i < 2; i++) {
                assertThat(openAi(h, "/v1/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":[\"a\",\"b c d\"]}").statusCode())
                        .isEqualTo(200);
                requests++;
            }
            billed = h.recorder().billed();
            assertThat(billed).hasSize(requests);
        }
        assertThat(billed).extracting(BilledUsage::outcome).containsOnly(BilledUsage.Outcome.COMPLETED);
        assertThat(billed).as("prompt caching happened").anySatisfy(b -> assertThat(b.cacheReadInputTokens()).isPositive());

        Map<String, List<BilledUsage>> byProvider = billed.stream().collect(Collectors.groupingBy(b -> PROVIDER_BY_KEY.get(b.upstreamKey())));
        Map<String, SpendRow> ledger = new HashMap<>();
        try (Database db = Database.open(StoreSettings.sqlite(data))) {
            new SpendReports(db).report(SpendQuery.by("provider")).forEach(r -> ledger.put(r.group().get("provider"), r));
        }
        assertThat(ledger.keySet()).containsExactlyInAnyOrderElementsOf(byProvider.keySet())
                .contains("bedrock", "vertex", "foundry", "openai", "anthropic");
        Meter meter = new Meter(PriceTable.load(null, BigDecimal.ONE));
        byProvider.forEach((provider, bills) -> {
            SpendRow row = ledger.get(provider);
            assertThat(row.attempts()).as(provider).isEqualTo(bills.size());
            assertThat(row.estimatedRequests()).as(provider).isZero();
            assertThat(row.inputTokens()).as(provider + " input").isEqualTo(sum(bills, BilledUsage::inputTokens));
            assertThat(row.outputTokens()).as(provider + " output").isEqualTo(sum(bills, BilledUsage::outputTokens));
            assertThat(row.cacheReadTokens()).as(provider + " cache reads").isEqualTo(sum(bills, BilledUsage::cacheReadInputTokens));
            assertThat(row.cacheWrite5mTokens() + row.cacheWrite1hTokens()).as(provider + " cache writes")
                    .isEqualTo(sum(bills, BilledUsage::cacheCreationInputTokens));
            long cost = bills.stream().mapToLong(b -> meter.cost(b.model(), new Usage(b.inputTokens(), b.outputTokens(),
                    b.cacheCreationInputTokens(), b.cacheReadInputTokens(), b.ephemeral5mInputTokens(), b.ephemeral1hInputTokens(), 0, 0))
                    .nanoUsd()).sum();
            assertThat(row.costNanoUsd()).as(provider + " cost").isEqualTo(cost).isPositive();
        });
    }

    private static long sum(List<BilledUsage> bills, java.util.function.ToIntFunction<BilledUsage> f) {
        return bills.stream().mapToLong(f::applyAsInt).sum();
    }

    private static HttpResponse<String> messages(SluiceHarness h, ObjectNode body) {
        return Http.post(h.gatewayUrl(), "/v1/messages", body.toString(), "anthropic-beta", "claude-code-20250219");
    }

    private static HttpResponse<String> openAi(SluiceHarness h, String path, String body) {
        return Http.send(HttpRequest.newBuilder(URI.create(h.gatewayUrl() + path)).header("authorization", "Bearer " + SluiceHarness.GATEWAY_KEY)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static ObjectNode claudeCodeBody() throws Exception {
        try (InputStream in = ProviderReconciliationTest.class.getResourceAsStream("/demo/claude-code-request.json")) {
            return (ObjectNode) Http.json(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
