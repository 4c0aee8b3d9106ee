package dev.sluice.cache.stage;

import static dev.sluice.cache.stage.CacheGateway.ask;
import static dev.sluice.cache.stage.CacheGateway.cacheStatus;
import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The response cache through the real gateway: tenants never share entries, a streamed and a whole answer
 * share one entry (the official SDK accepts the replay either way), and a hit says so on its headers, costs
 * nothing upstream and is one ledger record with what it saved.
 */
class CacheEndToEndTest {
    @TempDir
    static Path data;
    private static CacheGateway gw;

    @BeforeAll
    static void start() {
        gw = CacheGateway.start(data, "cache: {}\n");
    }

    @BeforeEach
    void clear() {
        gw.upstream().clear();
    }

    /** The audit log's line for a request, once the writer has written it (it writes every few milliseconds). */
    private static JsonNode auditLine(String requestId) throws Exception {
        Path log = data.resolve("audit.jsonl");
        for (int i = 0; i < 100; i++) {
            if (java.nio.file.Files.exists(log)) {
                for (String line : java.nio.file.Files.readAllLines(log)) {
                    if (line.contains(requestId)) {
                        return dev.sluice.wire.Json.MAPPER.readTree(line);
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no audit line for " + requestId);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void identicalRequestsNeverHitAcrossOrganizations() {
        String ana = gw.key("acme", "payments", "ana");
        String ben = gw.key("acme", "search", "ben");
        String carl = gw.key("globex", "core", "carl");
        String body = ask("What does the retry loop in fetch.py do? (tenants)", false);
        long before = gw.counts().stored() + gw.counts().notStored();

        HttpResponse<String> first = gw.post(ana, body);
        gw.awaitCaptures(before + 1);
        HttpResponse<String> sameOrg = gw.post(ben, body);
        HttpResponse<String> otherOrg = gw.post(carl, body);
        gw.awaitCaptures(before + 2);
        HttpResponse<String> otherOrgAgain = gw.post(carl, body);

        assertThat(cacheStatus(first)).isEqualTo("miss");
        assertThat(cacheStatus(sameOrg)).as("org scope: shared inside acme").isEqualTo("hit");
        assertThat(cacheStatus(otherOrg)).as("never across orgs").isEqualTo("miss");
        assertThat(cacheStatus(otherOrgAgain)).as("globex has its own entry now").isEqualTo("hit");
        assertThat(gw.upstream().received()).as("one upstream call per org").hasSize(2);
        assertThat(text(sameOrg)).isEqualTo(text(first));
        assertThat(CacheGateway.json(sameOrg.body()).path("id").asText()).startsWith("msg_")
                .isNotEqualTo(CacheGateway.json(first.body()).path("id").asText());
    }

    @Test
    void aStreamAndAWholeAnswerShareOneEntryAndTheSdkAcceptsBoth() {
        String key = gw.key("acme", "payments", "ana");
        long before = gw.counts().stored() + gw.counts().notStored();
        AnthropicClient sdk = AnthropicOkHttpClient.builder().apiKey(key).baseUrl(gw.url()).maxRetries(0).build();
        try {
            MessageCreateParams params = MessageCreateParams.builder().model(CacheGateway.MODEL).maxTokens(200)
                    .addUserMessage("Explain the cache stage in one paragraph (sdk)").build();
            Message live = sdk.messages().create(params);
            gw.awaitCaptures(before + 1);
            Message replayedStream = accumulate(sdk, params);
            Message replayedWhole = sdk.messages().create(params);

            assertThat(gw.upstream().received()).as("only the first went upstream").hasSize(1);
            assertThat(replayedStream.content().getFirst().text().orElseThrow().text())
                    .isEqualTo(live.content().getFirst().text().orElseThrow().text());
            assertThat(replayedStream.stopReason()).contains(StopReason.END_TURN);
            assertThat(replayedStream.usage().outputTokens()).isEqualTo(live.usage().outputTokens());
            assertThat(replayedStream.usage().cacheReadInputTokens().orElse(0L))
                    .as("the prompt shows as read from cache").isEqualTo(live.usage().inputTokens());
            assertThat(replayedWhole.content()).isEqualTo(live.content());

            MessageCreateParams other = params.toBuilder().messages(java.util.List.of()).addUserMessage("Now stream first (sdk)").build();
            Message streamed = accumulate(sdk, other);
            gw.awaitCaptures(before + 2);
            Message whole = sdk.messages().create(other);
            assertThat(gw.upstream().received()).hasSize(2);
            assertThat(whole.content().getFirst().text().orElseThrow().text())
                    .isEqualTo(streamed.content().getFirst().text().orElseThrow().text());
        } finally {
            sdk.close();
        }
    }

    @Test
    void aHitSaysSoCostsNothingUpstreamAndIsOneLedgerRecordWithItsSavings() throws Exception {
        String key = gw.key("acme", "payments", "ana");
        String body = ask("Summarise the ledger design (ledger)", true);
        long before = gw.counts().stored() + gw.counts().notStored();
        HttpResponse<String> miss = gw.post(key, body, "x-sluice-tag-repo", "sluice");
        gw.awaitCaptures(before + 1);
        Thread.sleep(1100); // so the age header reads at least 1
        HttpResponse<String> hit = gw.post(key, body, "x-sluice-tag-repo", "sluice");

        assertThat(cacheStatus(miss)).isEqualTo("miss");
        assertThat(miss.headers().firstValue("x-sluice-cache-age")).isEmpty();
        assertThat(cacheStatus(hit)).isEqualTo("hit");
        assertThat(Long.parseLong(hit.headers().firstValue("x-sluice-cache-age").orElseThrow())).isBetween(1L, 30L);
        assertThat(hit.headers().firstValue("x-sluice-attempts")).hasValue("0");
        assertThat(hit.headers().firstValue("x-sluice-provider")).as("as its ledger record says").hasValue("cache");
        assertThat(hit.headers().firstValue("x-sluice-model")).as("the stored answer's model")
                .isEqualTo(miss.headers().firstValue("x-sluice-model")).isNotEmpty();
        assertThat(hit.headers().firstValue("x-sluice-upstream")).as("no upstream served it").isEmpty();
        assertThat(hit.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
        assertThat(hit.body()).contains("event: message_start").endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        assertThat(gw.upstream().received()).hasSize(1);

        String id = hit.headers().firstValue("request-id").orElseThrow();
        JsonNode audited = auditLine(id);
        assertThat(audited.path("provider").asText()).as("the audit line names who served it, as the ledger").isEqualTo("cache");
        assertThat(audited.path("model_served").asText()).isEqualTo(miss.headers().firstValue("x-sluice-model").orElseThrow());
        JsonNode records = awaitRecords(id, key);
        JsonNode only = records.path("attempts").get(0);
        assertThat(records.path("attempts")).hasSize(1);
        assertThat(only.path("attempt").asInt()).isZero();
        assertThat(only.path("provider").asText()).isEqualTo("cache");
        assertThat(only.path("cache").asText()).isEqualTo("hit");
        // The lookup gives amounts as decimal strings.
        assertThat(new java.math.BigDecimal(only.path("cost_usd").asText())).isEqualByComparingTo("0");
        assertThat(new java.math.BigDecimal(only.path("gateway_cache_savings_usd").asText())).as("what the hit saved").isPositive();

        JsonNode report = gw.admin("GET", "/admin/cache/report?by=repo,user&since=1h", null);
        JsonNode row = null;
        for (JsonNode r : report.path("data")) {
            if ("sluice".equals(r.path("group").path("repo").asText(null))) {
                row = r;
            }
        }
        assertThat(row).as(report.toString()).isNotNull();
        assertThat(row.path("hits").asLong()).isEqualTo(1);
        assertThat(row.path("misses").asLong()).isEqualTo(1);
        assertThat(row.path("hit_rate").decimalValue()).isEqualByComparingTo("0.5");
        assertThat(row.path("saved_input_tokens").asLong()).isPositive();
        assertThat(row.path("token_hit_rate").decimalValue()).isEqualByComparingTo("0.5");
        assertThat(row.path("gateway_cache_savings_usd").decimalValue().signum()).isPositive();
        assertThat(row.path("gateway_cache_savings_usd").decimalValue()).isEqualByComparingTo(row.path("cost_usd").decimalValue());
    }

    @Test
    void metricsCountLookupsAndStoreOccupancy() {
        String key = gw.key("acme", "payments", "ana");
        gw.post(key, ask("metrics please", false));
        HttpResponse<String> metrics = gw.get("/metrics", key);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("sluice_cache_lookups_total{result=\"miss\"}")
                .contains("sluice_cache_entries").contains("sluice_cache_budget_bytes").contains("sluice_cache_stores_total");
    }

    private JsonNode awaitRecords(String id, String key) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            HttpResponse<String> r = gw.get("/sluice/v1/requests/" + id, key);
            if (r.statusCode() == 200 && CacheGateway.json(r.body()).path("attempts").size() > 0) {
                return CacheGateway.json(r.body());
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no ledger record for " + id);
    }

    private static Message accumulate(AnthropicClient sdk, MessageCreateParams params) {
        MessageAccumulator acc = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = sdk.messages().createStreaming(params)) {
            stream.stream().forEach(acc::accumulate);
        }
        return acc.message();
    }

    private static String text(HttpResponse<String> r) {
        return CacheGateway.json(r.body()).path("content").get(0).path("text").asText();
    }
}
