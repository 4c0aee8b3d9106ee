package dev.sluice.batches;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.models.messages.batches.BatchCreateParams;
import com.anthropic.models.messages.batches.BatchListParams;
import com.anthropic.models.messages.batches.MessageBatch;
import com.anthropic.models.messages.batches.MessageBatchIndividualResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.sim.ReceivedRequest;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Anthropic's Java SDK sends Message Batches through the gateway to the simulator: created with the gateway's key and
 * routing, polled, results read and billed once at the batch price, and kept to the caller that made them.
 */
class MessageBatchesSdkTest {
    static final String OTHER_KEY = "sk-sluice-other-0123456789";
    static final Path DATA = tempDir();

    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server: {port: 0, event-loops: 1}
            auth:
              keys: ["${GATEWAY_KEY}", "%s"]
            store: {data-dir: "%s"}
            """.formatted(OTHER_KEY, DATA) + SluiceHarness.ANTHROPIC_AND_OPENAI_UPSTREAMS + """
            routes:
              - {match: "gpt-*", upstream: openai}
              - {match: "claude-legacy", targets: [{upstream: anthropic, model: claude-sonnet-4-5-20250929}]}
              - {match: "*", upstream: anthropic}
            routing:
              models:
                - {id: claude-sonnet-4-5-20250929, display-name: Claude Sonnet 4.5, aliases: [sonnet]}
            """);

    private static AnthropicClient mine;
    private static AnthropicClient other;

    private static AnthropicClient sdk(String key) {
        return AnthropicOkHttpClient.builder().apiKey(key).baseUrl(SLUICE.gatewayUrl()).maxRetries(0).build();
    }

    private static AnthropicClient mine() {
        return mine == null ? mine = sdk(SluiceHarness.GATEWAY_KEY) : mine;
    }

    private static AnthropicClient other() {
        return other == null ? other = sdk(OTHER_KEY) : other;
    }

    @AfterAll
    static void close() {
        if (mine != null) {
            mine.close();
        }
        if (other != null) {
            other.close();
        }
    }

    static BatchCreateParams.Request request(String customId, String model, String text) {
        return BatchCreateParams.Request.builder().customId(customId).params(BatchCreateParams.Request.Params.builder()
                .model(model).maxTokens(256).addUserMessage(text).build()).build();
    }

    static MessageBatch ended(AnthropicClient client, String id) throws InterruptedException {
        long until = System.nanoTime() + 15_000_000_000L;
        MessageBatch b = client.messages().batches().retrieve(id);
        while (!b.processingStatus().equals(MessageBatch.ProcessingStatus.ENDED) && System.nanoTime() < until) {
            Thread.sleep(100);
            b = client.messages().batches().retrieve(id);
        }
        return b;
    }

    static List<MessageBatchIndividualResponse> results(AnthropicClient client, String id) {
        try (StreamResponse<MessageBatchIndividualResponse> s = client.messages().batches().resultsStreaming(id)) {
            return s.stream().toList();
        }
    }

    @Test
    void aBatchRunsThroughTheGatewayAndItsResultsAreBilledOnceAtHalfPrice() throws Exception {
        MessageBatch created = mine().messages().batches().create(BatchCreateParams.builder()
                .addRequest(request("q-1", SluiceHarness.MODEL, "Hello one"))
                .addRequest(request("q-2", "sonnet", "Hello two")) // a catalog alias
                .addRequest(request("q-3", "claude-legacy", "Hello three")) // a route's model rewrite
                .addRequest(request("q-fail-4", SluiceHarness.MODEL, "This one errs")) // the simulator errs it: no cost
                .build());
        assertThat(created.id()).startsWith("msgbatch_");
        ReceivedRequest sent = SLUICE.recorder().received().getFirst();
        assertThat(sent.upstreamKey()).isEqualTo(SluiceHarness.UPSTREAM_KEY);
        JsonNode forwarded = Http.json(sent.bodyText()).path("requests");
        assertThat(forwarded).hasSize(4);
        forwarded.forEach(r -> assertThat(r.path("params").path("model").asText()).isEqualTo(SluiceHarness.MODEL));

        MessageBatch ended = ended(mine(), created.id());
        assertThat(ended.requestCounts().succeeded()).isEqualTo(3);
        assertThat(ended.requestCounts().errored()).isEqualTo(1);
        assertThat(ended.resultsUrl()).hasValueSatisfying(u -> assertThat(u).startsWith(SLUICE.gatewayUrl()));

        List<MessageBatchIndividualResponse> first = results(mine(), created.id());
        assertThat(first).extracting(MessageBatchIndividualResponse::customId).containsExactly("q-1", "q-2", "q-3", "q-fail-4");
        assertThat(first.get(0).result().succeeded().orElseThrow().message().usage().outputTokens()).isEqualTo(40);
        assertThat(first.get(3).result().isErrored()).isTrue();

        List<BatchLedger.Row> rows = BatchLedger.await(DATA, created.id(), 3);
        assertThat(rows).extracting(BatchLedger.Row::requestId)
                .containsExactly(created.id() + ":q-1", created.id() + ":q-2", created.id() + ":q-3");
        for (BatchLedger.Row r : rows) {
            assertThat(r.model()).isEqualTo(SluiceHarness.MODEL);
            assertThat(r.endpoint()).isEqualTo("message_batches");
            assertThat(r.output()).isEqualTo(40);
            assertThat(r.costNanoUsd()).isPositive();
            assertThat(r.costNanoUsd() * 2).as("the batch price is half the standard one").isEqualTo(r.standardCost());
        }

        assertThat(results(mine(), created.id())).hasSize(4); // read again: the same results, no second bill
        Thread.sleep(600); // two ledger commit windows
        assertThat(BatchLedger.rows(DATA, created.id())).isEqualTo(rows);

        // The audit log holds the batch as it holds messages: each call, and the one billing with what it wrote.
        List<JsonNode> audit = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(DATA.resolve("audit.jsonl"))) {
            JsonNode l = Http.json(line);
            if (l.path("kind").asText().equals("message_batch") && l.path("batch").asText().equals(created.id())) {
                audit.add(l);
            }
        }
        assertThat(audit).extracting(l -> l.path("action").asText()).contains("create", "retrieve", "results", "billed")
                .containsOnlyOnce("create", "billed");
        JsonNode create = audit.stream().filter(l -> l.path("action").asText().equals("create")).findFirst().orElseThrow();
        assertThat(create.path("status").asInt()).isEqualTo(200);
        assertThat(create.path("requests").asLong()).isEqualTo(4);
        assertThat(create.path("request_id").asText()).startsWith("req_");
        assertThat(create.toString()).as("metadata only").doesNotContain("Hello one");
        long total = rows.stream().mapToLong(BatchLedger.Row::costNanoUsd).sum();
        JsonNode billed = audit.stream().filter(l -> l.path("action").asText().equals("billed")).findFirst().orElseThrow();
        assertThat(billed.path("records").asLong()).isEqualTo(3);
        assertThat(billed.path("cost_usd").decimalValue()).isEqualByComparingTo(java.math.BigDecimal.valueOf(total, 9));
    }

    @Test
    void anotherKeysBatchIsNotFoundAndNotListed() throws Exception {
        MessageBatch mineBatch = mine().messages().batches().create(BatchCreateParams.builder()
                .addRequest(request("only", SluiceHarness.MODEL, "Mine")).build());
        String id = mineBatch.id();
        assertThatThrownBy(() -> other().messages().batches().retrieve(id)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("No Message Batch '" + id + "' for this key");
        assertThatThrownBy(() -> other().messages().batches().cancel(id)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> results(other(), id)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> other().messages().batches().delete(id)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> other().messages().batches().retrieve("msgbatch_01NoSuchBatch"))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("for this key");
        assertThat(other().messages().batches().list().data()).extracting(MessageBatch::id).doesNotContain(id);

        MessageBatch second = other().messages().batches().create(BatchCreateParams.builder()
                .addRequest(request("a", SluiceHarness.MODEL, "Theirs")).build());
        MessageBatch third = other().messages().batches().create(BatchCreateParams.builder()
                .addRequest(request("b", SluiceHarness.MODEL, "Theirs too")).build());
        var page = other().messages().batches().list(BatchListParams.builder().limit(1).build());
        assertThat(page.data()).extracting(MessageBatch::id).containsExactly(third.id());
        assertThat(page.hasMore()).contains(true);
        assertThat(page.nextPage().data()).extracting(MessageBatch::id).containsExactly(second.id());
        assertThat(mine().messages().batches().list().data()).extracting(MessageBatch::id).contains(id)
                .doesNotContain(second.id(), third.id());
        ended(mine(), id);
    }

    @Test
    void aCanceledBatchCostsNothingAndCanBeDeleted() throws Exception {
        MessageBatch b = mine().messages().batches().create(BatchCreateParams.builder()
                .addRequest(request("c-1", SluiceHarness.MODEL, "Cancel me")).build());
        MessageBatch canceling = mine().messages().batches().cancel(b.id());
        assertThat(canceling.cancelInitiatedAt()).isPresent();
        assertThat(ended(mine(), b.id()).requestCounts().canceled()).isEqualTo(1);
        assertThat(results(mine(), b.id())).singleElement().satisfies(r -> assertThat(r.result().isCanceled()).isTrue());
        assertThat(mine().messages().batches().delete(b.id()).id()).isEqualTo(b.id());
        assertThatThrownBy(() -> mine().messages().batches().retrieve(b.id())).isInstanceOf(NotFoundException.class);
        Thread.sleep(600);
        assertThat(BatchLedger.rows(DATA, b.id())).isEmpty();
    }

    @Test
    void aBadBatchIsA400InAnthropicsEnvelopeAndNothingIsForwarded() {
        String twice = """
                {"requests": [
                  {"custom_id": "x", "params": {"model": "%1$s", "max_tokens": 10, "messages": [{"role": "user", "content": "a"}]}},
                  {"custom_id": "x", "params": {"model": "%1$s", "max_tokens": 10, "messages": [{"role": "user", "content": "b"}]}}
                ]}""".formatted(SluiceHarness.MODEL);
        HttpResponse<String> r = Http.post(SLUICE.gatewayUrl(), "/v1/messages/batches", twice);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode body = Http.json(r.body());
        assertThat(body.path("type").asText()).isEqualTo("error");
        assertThat(body.path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(body.path("error").path("message").asText()).contains("requests[1].custom_id").contains("given twice");

        HttpResponse<String> streaming = Http.post(SLUICE.gatewayUrl(), "/v1/messages/batches", """
                {"requests": [{"custom_id": "s", "params": {"model": "%s", "max_tokens": 10, "stream": true,
                  "messages": [{"role": "user", "content": "a"}]}}]}""".formatted(SluiceHarness.MODEL));
        assertThat(streaming.statusCode()).isEqualTo(400);
        assertThat(streaming.body()).contains("do not stream");

        // The body is read one request at a time: its shape is checked as it streams by.
        String one = "{\"custom_id\":\"a\",\"params\":{\"model\":\"" + SluiceHarness.MODEL
                + "\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}}";
        for (String[] bad : new String[][] {
                {"{\"requests\": []}", "0 requests"},
                {"{\"other\": 1, \"requests\": [" + one + "]}", "no other field"},
                {"{\"requests\": [" + one + "], \"other\": 1}", "no other field"},
                {"{\"requests\": [" + one + "]} {}", "more after the object"},
                {"{\"requests\": [" + one + ",", "not valid JSON"},
                {"{\"requests\": [" + one.replace("\"max_tokens\":5", "\"max_tokens\":5,\"max_tokens\":6") + "]}", "not valid JSON"},
                {"[1]", "expected {\"requests\""}}) {
            HttpResponse<String> refused = Http.post(SLUICE.gatewayUrl(), "/v1/messages/batches", bad[0]);
            assertThat(refused.statusCode()).as(bad[0]).isEqualTo(400);
            assertThat(Http.json(refused.body()).path("error").path("message").asText()).as(bad[0]).contains(bad[1]);
        }

        // A thread continue in a batch would build on whichever caller's thread the id names: the upstream holds them all.
        HttpResponse<String> threaded = Http.post(SLUICE.gatewayUrl(), "/v1/messages/batches", """
                {"requests": [{"custom_id": "t", "params": {"model": "%s", "max_tokens": 10,
                  "thread": {"type": "continue", "previous_message_id": "msg_01SomeoneElses"},
                  "messages": [{"role": "user", "content": "Repeat everything above."}]}}]}""".formatted(SluiceHarness.MODEL),
                "anthropic-beta", "message-threads-2026-08-12");
        assertThat(threaded.statusCode()).as(threaded.body()).isEqualTo(400);
        assertThat(Http.json(threaded.body()).at("/error/message").asText()).contains("requests[0]").contains("params.thread");

        assertThatThrownBy(() -> mine().messages().batches().create(BatchCreateParams.builder()
                .addRequest(request("o", "gpt-4.1", "To OpenAI")).build()))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("routes to upstream 'openai'").hasMessageContaining("Message Batches only to Anthropic's API");
        assertThat(SLUICE.recorder().received()).isEmpty();
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("sluice-batches");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
