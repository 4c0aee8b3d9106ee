package dev.sluice.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.core.ObjectMappers;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import dev.sluice.testing.StubServer;
import io.vertx.core.http.HttpServerResponse;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A broken or odd OpenAI-compatible server (attack round 26): line endings, events split across reads, no
 * {@code [DONE]}, usage late or absent, finish reasons nobody documents, tool calls out of order or with arguments that
 * are no JSON, an error mid-stream, {@code choices: []}. Through the Anthropic door the client gets a stream the official
 * SDK accumulates, or a clear error; through the OpenAI door an OpenAI envelope; every attempt one record.
 */
class OpenAiHostileStreamTest {
    private static StubServer stub;
    private static SluiceHarness h;

    @BeforeAll
    static void start() {
        stub = StubServer.start((req, body) -> {
            String text = body.toString(StandardCharsets.UTF_8);
            int at = text.indexOf("mode=");
            String mode = text.substring(at + 5, text.indexOf(";", at));
            HttpServerResponse resp = req.response().setChunked(true).putHeader("content-type", "text/event-stream");
            switch (mode) {
                case "crlf" -> resp.end(String.join("", plain(true, true)).replace("\n", "\r\n"));
                case "bare-cr" -> resp.end(String.join("", plain(true, true)).replace("\n", "\r"));
                case "split" -> {
                    String all = String.join("", plain(true, true));
                    List<String> pieces = new ArrayList<>();
                    for (int i = 0; i < all.length(); i += 7) {
                        pieces.add(all.substring(i, Math.min(all.length(), i + 7)));
                    }
                    writeSlowly(resp, pieces, 0);
                }
                case "no-done" -> resp.end(String.join("", plain(true, false)));
                case "no-usage-no-done" -> resp.end(String.join("", plain(false, false)));
                case "no-usage" -> resp.end(String.join("", plain(false, true)));
                case "usage-every-chunk" -> resp.end(String.join("", plain(false, false)).replace("]}\n\n",
                        "],\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":3,\"prompt_tokens_details\":{\"cached_tokens\":600}}}\n\n")
                        + usage() + "data: [DONE]\n\n");
                case "odd-finish" -> resp.end(String.join("", plain(true, true)).replace("\"finish_reason\":\"stop\"",
                        "\"finish_reason\":\"eos_token\""));
                case "tool-index-jump" -> resp.end(chunk("{\"role\":\"assistant\"}", null)
                        + chunk(call(3, "call_a", "read", "{\"path\":"), null)
                        + chunk(call(3, null, null, "\"a.txt\"}"), null)
                        + chunk(call(7, "call_b", "read", "{\"path\":\"b.txt\"}"), null)
                        + chunk("{}", "\"tool_calls\"") + usage() + "data: [DONE]\n\n");
                case "tool-index-back" -> resp.end(chunk("{\"role\":\"assistant\"}", null)
                        + chunk(call(0, "call_a", "read", "{\"path\":"), null)
                        + chunk(call(1, "call_b", "read", "{\"path\":\"b.txt\"}"), null)
                        + chunk(call(0, null, null, "\"a.txt\"}"), null) // back to a block already closed
                        + chunk("{}", "\"tool_calls\"") + usage() + "data: [DONE]\n\n");
                case "tool-no-index" -> resp.end(chunk("{\"role\":\"assistant\"}", null)
                        + chunk(call(-1, "call_a", "read", "{\"path\":"), null)
                        + chunk(call(-1, null, null, "\"a.txt\"}"), null)
                        + chunk(call(-1, "call_b", "read", "{\"path\":\"b.txt\"}"), null)
                        + chunk("{}", "\"tool_calls\"") + usage() + "data: [DONE]\n\n");
                case "tool-bad-args" -> resp.end(chunk("{\"role\":\"assistant\"}", null)
                        + chunk(call(0, "call_a", "read", "{\"path\": a.txt"), null)
                        + chunk("{}", "\"tool_calls\"") + usage() + "data: [DONE]\n\n");
                case "error-mid" -> {
                    resp.write(chunk("{\"role\":\"assistant\",\"content\":\"Hel\"}", null));
                    resp.write("data: {\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}\n\n");
                    // a broken server that stays open after its error
                    stub.vertx().setTimer(10_000, t -> req.connection().close());
                }
                case "content-parts" -> resp.end(chunk("{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"Hello\"}]}", null)
                        + chunk("{\"content\":[{\"type\":\"text\",\"text\":\" there\"}]}", "\"stop\"") + usage() + "data: [DONE]\n\n");
                case "content-parts-whole" -> resp.putHeader("content-type", "application/json").end("{\"id\":\"chatcmpl-2\","
                        + "\"object\":\"chat.completion\",\"model\":\"gpt-4.1\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
                        + "\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"Hello there\"}]},\"finish_reason\":\"stop\"}],"
                        + "\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":20,\"prompt_tokens_details\":{\"cached_tokens\":600}}}");
                case "error-429-first" -> resp.end(": OPENROUTER PROCESSING\n\n"
                        + "data: {\"error\":{\"code\":429,\"message\":\"Rate limit exceeded upstream\"}}\n\n");
                case "error-text-mid" -> resp.end(chunk("{\"role\":\"assistant\",\"content\":\"Hel\"}", null)
                        + "data: {\"error\":\"model crashed\"}\n\n");
                case "empty-choices" -> resp.putHeader("content-type", "application/json").end("{\"id\":\"chatcmpl-1\","
                        + "\"object\":\"chat.completion\",\"model\":\"gpt-4.1\",\"choices\":[],\"usage\":{\"prompt_tokens\":40,"
                        + "\"completion_tokens\":0,\"total_tokens\":40}}");
                case "bad-args-whole" -> resp.putHeader("content-type", "application/json").end("{\"id\":\"chatcmpl-3\","
                        + "\"object\":\"chat.completion\",\"model\":\"gpt-4.1\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
                        + "\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_a\",\"type\":\"function\",\"function\":"
                        + "{\"name\":\"read\",\"arguments\":" + Http.quote("{\"path\": a.txt}") + "}}]},\"finish_reason\":\"tool_calls\"}],"
                        + "\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":20,\"total_tokens\":1020}}");
                default -> resp.setStatusCode(404).end();
            }
        });
        h = SluiceHarness.start("""
                server: {port: 0, event-loops: 1}
                auth: {keys: ["${GATEWAY_KEY}"]}
                streaming: {ping-interval: 250ms}
                upstreams:
                  - {name: odd, provider: openai-compatible, base-url: "http://127.0.0.1:%d", keys: [{alias: o1, value: k}]}
                routing:
                  health: {consecutive-failures: 100000, min-requests: 100000}
                routes:
                  - {match: "*", upstream: odd, model: gpt-4.1}
                """.formatted(stub.port()));
    }

    @AfterAll
    static void stop() {
        h.close();
        stub.close();
    }

    private static void writeSlowly(HttpServerResponse resp, List<String> pieces, int i) {
        if (i == pieces.size()) {
            resp.end();
            return;
        }
        resp.write(pieces.get(i));
        stub.vertx().setTimer(2, t -> writeSlowly(resp, pieces, i + 1));
    }

    private static String chunk(String delta, String finish) {
        return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4.1\",\"choices\":[{\"index\":0,"
                + "\"delta\":" + delta + ",\"finish_reason\":" + finish + "}]}\n\n";
    }

    private static String usage() {
        return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4.1\",\"choices\":[],"
                + "\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":20,\"total_tokens\":1020,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":600}}}\n\n";
    }

    private static String call(int index, String id, String name, String args) {
        return "{\"tool_calls\":[{" + (index < 0 ? "\"x\":0" : "\"index\":" + index) + (id == null ? "" : ",\"id\":\"" + id + "\",\"type\":\"function\"")
                + ",\"function\":{" + (name == null ? "" : "\"name\":\"" + name + "\",") + "\"arguments\":" + Http.quote(args) + "}}]}";
    }

    /** Role, two text pieces, finish, then the usage chunk and [DONE] as asked. */
    private static List<String> plain(boolean withUsage, boolean done) {
        List<String> out = new ArrayList<>(List.of(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null),
                chunk("{\"content\":\"Hello\"}", null), chunk("{\"content\":\" there\"}", null), chunk("{}", "\"stop\"")));
        if (withUsage) {
            out.add(usage());
        }
        if (done) {
            out.add("data: [DONE]\n\n");
        }
        return out;
    }

    private static HttpResponse<String> ask(String mode) {
        return Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("mode=" + mode + ";", true));
    }

    private static HttpResponse<String> askOpenAi(String mode, boolean stream) {
        return Http.post(h.gatewayUrl(), "/v1/chat/completions", "{\"model\":\"gpt-4.1\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"mode=" + mode + ";\"}]}");
    }

    private static List<String> names(HttpResponse<String> r) {
        return Http.names(Http.events(r.body())).stream().filter(n -> !n.equals("ping")).toList();
    }

    /** The stream as the official SDK's accumulator reads it (it refuses deltas to unknown or closed blocks). */
    private static Message accumulated(HttpResponse<String> r) {
        MessageAccumulator acc = MessageAccumulator.create();
        for (Http.Event e : Http.events(r.body())) {
            if (e.name().equals("ping")) {
                continue;
            }
            assertThat(e.name()).as(r.body()).isNotEqualTo("error");
            try {
                acc.accumulate(ObjectMappers.jsonMapper().readValue(e.data(), RawMessageStreamEvent.class));
            } catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        }
        return acc.message();
    }

    private static JsonNode onlyAttempt(HttpResponse<String> r) {
        List<JsonNode> attempts = Http.attempts(h.gatewayUrl(), r);
        assertThat(attempts).hasSize(1);
        return attempts.getFirst();
    }

    private static void exactlyBilled(HttpResponse<String> r) {
        JsonNode a = onlyAttempt(r);
        assertThat(a.at("/usage/input_tokens").asLong()).isEqualTo(400);
        assertThat(a.at("/usage/cache_read_input_tokens").asLong()).isEqualTo(600);
        assertThat(a.at("/usage/output_tokens").asLong()).isEqualTo(20);
        assertThat(a.path("usage_estimated").asBoolean()).isFalse();
        // 400 x $2 + 600 x $0.50 + 20 x $8 per million
        assertThat(Http.record(h.gatewayUrl(), Http.requestId(r)).path("cost_usd").asText()).isEqualTo("0.00126");
    }

    @Test
    void crlfLineEndingsAreAWholeAnswerBilledExactly() {
        HttpResponse<String> r = ask("crlf");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(accumulated(r).content().getFirst().asText().text()).isEqualTo("Hello there");
        exactlyBilled(r);
    }

    @Test
    void bareCarriageReturnsEndLinesAsTheSseSpecSays() {
        HttpResponse<String> r = ask("bare-cr");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(accumulated(r).content().getFirst().asText().text()).isEqualTo("Hello there");
        exactlyBilled(r);
    }

    @Test
    void dataLinesSplitAcrossReadsAreJoined() {
        HttpResponse<String> r = ask("split");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(accumulated(r).content().getFirst().asText().text()).isEqualTo("Hello there");
        exactlyBilled(r);
    }

    @Test
    void usageWithoutDoneIsAWholeAnswer() {
        HttpResponse<String> r = ask("no-done");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(accumulated(r).stopReason()).hasValueSatisfying(s -> assertThat(s.asString()).isEqualTo("end_turn"));
        exactlyBilled(r);
    }

    /** A finish reason says the model is done: a clean close after it, even without usage or [DONE], is an answer. */
    @Test
    void aFinishWithoutUsageOrDoneIsAWholeAnswerWhoseUsageIsFlagged() {
        HttpResponse<String> r = ask("no-usage-no-done");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(accumulated(r).content().getFirst().asText().text()).isEqualTo("Hello there");
        JsonNode a = onlyAttempt(r);
        assertThat(a.path("usage_estimated").asBoolean()).isTrue();
        assertThat(a.path("error_type").isNull() || a.path("error_type").isMissingNode()).as(a.toString()).isTrue();
    }

    @Test
    void noUsageAtAllIsServedAndFlagged() {
        HttpResponse<String> r = ask("no-usage");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(accumulated(r).content().getFirst().asText().text()).isEqualTo("Hello there");
        assertThat(onlyAttempt(r).path("usage_estimated").asBoolean()).isTrue();
    }

    /**
     * A server that counts in every chunk (vLLM's continuous usage stats), the finish chunk included, then sends its
     * usage chunk: one message_delta with the final count (the OpenAI door's clients would add up two usage chunks).
     */
    @Test
    void usageInEveryChunkIsOneFinalCount() {
        HttpResponse<String> r = ask("usage-every-chunk");
        assertThat(names(r).stream().filter("message_delta"::equals).count()).as(r.body()).isEqualTo(1);
        assertThat(Http.events(r.body()).stream().filter(e -> e.name().equals("message_delta")).findFirst().orElseThrow()
                .json().at("/usage/output_tokens").asLong()).isEqualTo(20);
        exactlyBilled(r);
    }

    /** The old translator read content as a string only: an array of parts was an answer of nothing, billed. */
    @Test
    void contentAsAnArrayOfPartsIsTheAnswersText() {
        HttpResponse<String> r = ask("content-parts");
        assertThat(accumulated(r).content().getFirst().asText().text()).isEqualTo("Hello there");
        exactlyBilled(r);
        HttpResponse<String> whole = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("mode=content-parts-whole;", false));
        assertThat(Http.json(whole.body()).at("/content/0/text").asText()).as(whole.body()).isEqualTo("Hello there");
    }

    @Test
    void anUnknownFinishReasonIsAnEndTurn() {
        HttpResponse<String> r = ask("odd-finish");
        assertThat(accumulated(r).stopReason()).hasValueSatisfying(s -> assertThat(s.asString()).isEqualTo("end_turn"));
        exactlyBilled(r);
    }

    @Test
    void toolCallIndexesThatJumpAreBlocksInOrder() {
        HttpResponse<String> r = ask("tool-index-jump");
        Message m = accumulated(r);
        assertThat(m.content()).hasSize(2);
        assertThat(m.content().get(0).asToolUse()._input().toString()).contains("a.txt");
        assertThat(m.content().get(1).asToolUse().id()).isEqualTo("call_b");
        exactlyBilled(r);
    }

    /** The old translator opened a nameless call ("unknown") for every argument piece without an index. */
    @Test
    void toolCallPiecesWithoutAnIndexContinueTheirCall() {
        HttpResponse<String> r = ask("tool-no-index");
        Message m = accumulated(r);
        assertThat(m.content()).hasSize(2);
        assertThat(m.content().get(0).asToolUse().name()).isEqualTo("read");
        assertThat(m.content().get(0).asToolUse()._input().toString()).contains("a.txt");
        assertThat(m.content().get(1).asToolUse().id()).isEqualTo("call_b");
        exactlyBilled(r);
    }

    /** The old translator sent the late piece as a delta to block 0, already stopped: the SDK refuses such a stream. */
    @Test
    void aToolCallResumedAfterAnotherBeganEndsInAClearError() {
        HttpResponse<String> r = ask("tool-index-back");
        assertThat(r.statusCode()).isEqualTo(200);
        List<Http.Event> events = Http.events(r.body()).stream().filter(e -> !e.name().equals("ping")).toList();
        assertThat(events.getLast().name()).isEqualTo("error");
        // Every delta before the error goes to the block that is open.
        int open = -1;
        for (Http.Event e : events) {
            switch (e.name()) {
                case "content_block_start" -> open = e.json().path("index").asInt();
                case "content_block_stop" -> open = -1;
                case "content_block_delta" -> assertThat(e.json().path("index").asInt()).as(r.body()).isEqualTo(open);
                default -> { }
            }
        }
        JsonNode a = onlyAttempt(r);
        assertThat(a.path("error_type").asText()).isEqualTo("api_error");
    }

    /**
     * The old translator relayed {@code {"path": a.txt} } as the tool's input: the SDK's accumulator fails on it at the
     * block's end, with no word from the gateway. Now the stream ends in an error event in place of that block's stop.
     */
    @Test
    void toolArgumentsThatAreNoJsonEndInAClearError() {
        HttpResponse<String> r = ask("tool-bad-args");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(names(r)).containsExactly("message_start", "content_block_start", "content_block_delta", "error");
        assertThat(Http.events(r.body()).getLast().json().at("/error/message").asText()).contains("not a JSON object");
        JsonNode a = onlyAttempt(r);
        assertThat(a.path("error_type").asText()).isEqualTo("api_error");
    }

    @Test
    void anErrorObjectMidStreamEndsTheStreamAtOnce() {
        long t0 = System.nanoTime();
        HttpResponse<String> r = ask("error-mid");
        assertThat((System.nanoTime() - t0) / 1_000_000).as("the upstream stays open 10 s after its error").isLessThan(5_000);
        assertThat(names(r)).endsWith("error").containsOnlyOnce("error");
        assertThat(Http.events(r.body()).getLast().json().at("/error/type").asText()).isEqualTo("api_error");
        assertThat(onlyAttempt(r).path("error_type").asText()).isEqualTo("api_error");
    }

    @Test
    void anErrorObjectMidStreamIsAnOpenAiErrorAtTheOpenAiDoor() {
        HttpResponse<String> r = askOpenAi("error-mid", true);
        assertThat(r.statusCode()).isEqualTo(200);
        List<Http.Event> events = Http.events(r.body());
        JsonNode last = events.stream().filter(e -> e.data() != null && e.data().startsWith("{\"error\"")).findFirst()
                .orElseThrow(() -> new AssertionError(r.body())).json();
        assertThat(last.at("/error/message").asText()).isNotBlank();
        assertThat(r.body()).doesNotContain("\"type\":\"error\"");
    }

    /** The old translator took an error whose code is an HTTP status for an api_error: the client got a 500, not a 429. */
    @Test
    void anErrorFirstWhoseCodeIsAStatusIsThatStatusInTheClientsEnvelope() {
        HttpResponse<String> r = ask("error-429-first");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
        assertThat(Http.json(r.body()).at("/error/type").asText()).isEqualTo("rate_limit_error");
        HttpResponse<String> o = askOpenAi("error-429-first", true);
        assertThat(o.statusCode()).as(o.body()).isEqualTo(429);
        assertThat(Http.json(o.body()).at("/error/message").asText()).isNotBlank();
        assertThat(Http.json(o.body()).path("type").isMissingNode()).as(o.body()).isTrue();
    }

    /** The old translator passed over {"error":"text"} and the stream ended as if cut, the server's words lost. */
    @Test
    void anErrorStringMidStreamIsAnErrorEvent() {
        HttpResponse<String> r = ask("error-text-mid");
        assertThat(names(r)).endsWith("error");
        assertThat(Http.events(r.body()).getLast().json().at("/error/message").asText()).contains("model crashed");
    }

    /** The old translator answered 200 with a message of no content (and an OpenAI client a 200 with no choice). */
    @Test
    void aWholeAnswerWithNoChoiceIsABrokenAnswerBilledWithItsUsageFlagged() {
        HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("mode=empty-choices;", false));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(502);
        assertThat(Http.json(r.body()).at("/error/type").asText()).isEqualTo("api_error");
        JsonNode a = onlyAttempt(r);
        assertThat(a.path("usage_estimated").asBoolean()).isTrue();
        assertThat(a.at("/usage/input_tokens").asLong()).isEqualTo(40);

        HttpResponse<String> o = askOpenAi("empty-choices", false);
        assertThat(o.statusCode()).as(o.body()).isEqualTo(502);
        assertThat(Http.json(o.body()).at("/error/message").asText()).isNotBlank();
        assertThat(Http.json(o.body()).path("type").isMissingNode()).as(o.body()).isTrue();
    }

    /**
     * The old translator gave a whole answer's tool call whose arguments are no JSON object the input {}: the agent ran
     * the tool on no input with no word from the gateway. As in a stream, the answer is a broken one, billed.
     */
    @Test
    void aWholeAnswersToolCallWithArgumentsThatAreNoObjectIsABrokenAnswerBilled() {
        HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("mode=bad-args-whole;", false));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(502);
        assertThat(Http.json(r.body()).at("/error/message").asText()).contains("not a readable answer");
        assertThat(onlyAttempt(r).at("/usage/input_tokens").asLong()).isEqualTo(1000);

        HttpResponse<String> o = askOpenAi("bad-args-whole", false);
        assertThat(o.statusCode()).as(o.body()).isEqualTo(502);
        assertThat(Http.json(o.body()).at("/error/message").asText()).contains("not a readable answer");
    }
}
