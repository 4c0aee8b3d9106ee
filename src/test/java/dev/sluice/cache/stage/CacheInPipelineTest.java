package dev.sluice.cache.stage;

import static dev.sluice.cache.stage.CacheGateway.ask;
import static dev.sluice.cache.stage.CacheGateway.cacheStatus;
import static dev.sluice.cache.stage.CacheGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the cache sits among the other stages: after budget, so a hit still meets the caller's budgets (it is
 * admitted and shown its standing) but adds nothing to them; and behind both front doors, so an OpenAI client's
 * repeated chat completion is a hit answered in OpenAI's protocol, and its bad cache header an error in OpenAI's
 * envelope.
 */
class CacheInPipelineTest {
    @TempDir
    static Path data;
    private static CacheGateway gw;
    private static long captures;

    @BeforeAll
    static void start() {
        gw = CacheGateway.start(data, """
                cache: {}
                budgets:
                  list: [{name: initech-month, level: org, id: initech, usd: 100, period: monthly}]
                """);
    }

    @BeforeEach
    void clear() {
        gw.upstream().clear();
        captures = gw.counts().stored() + gw.counts().notStored();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    private static String chat(String text, boolean stream, String extra) {
        return "{\"model\":\"" + CacheGateway.MODEL + "\",\"max_completion_tokens\":64,\"stream\":" + stream + extra
                + ",\"messages\":[{\"role\":\"user\",\"content\":" + CacheGateway.quote(text) + "}]}";
    }

    @Test
    void anOpenAiClientsRepeatedCompletionIsAHitAnsweredInOpenAisProtocol() {
        String key = gw.key("acme", "payments", "ana");
        String body = chat("What does the retry loop in fetch.py do? (openai door)", false, "");

        HttpResponse<String> live = gw.postOpenAi(key, body);
        gw.awaitCaptures(++captures);
        HttpResponse<String> whole = gw.postOpenAi(key, body);
        HttpResponse<String> stream = gw.postOpenAi(key, chat("What does the retry loop in fetch.py do? (openai door)", true,
                ",\"stream_options\":{\"include_usage\":true}"));

        assertThat(live.statusCode()).as(live.body()).isEqualTo(200);
        assertThat(cacheStatus(live)).isEqualTo("miss");
        assertThat(cacheStatus(whole)).isEqualTo("hit");
        assertThat(whole.headers().firstValue("x-sluice-attempts")).hasValue("0");
        JsonNode first = json(live.body());
        JsonNode replayed = json(whole.body());
        assertThat(replayed.path("object").asText()).isEqualTo("chat.completion");
        assertThat(replayed.at("/choices/0/message/content").asText()).isNotBlank()
                .isEqualTo(first.at("/choices/0/message/content").asText());
        assertThat(replayed.at("/choices/0/finish_reason").asText()).isEqualTo("stop");

        assertThat(cacheStatus(stream)).as("a stream is served from the whole answer's entry").isEqualTo("hit");
        assertThat(stream.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
        List<String> chunks = dataLines(stream.body());
        assertThat(chunks.getLast()).isEqualTo("[DONE]");
        assertThat(json(chunks.get(chunks.size() - 2)).at("/usage/completion_tokens").asLong())
                .isEqualTo(first.at("/usage/completion_tokens").asLong());
        StringBuilder text = new StringBuilder();
        chunks.subList(0, chunks.size() - 2).forEach(c -> text.append(json(c).at("/choices/0/delta/content").asText("")));
        assertThat(text.toString()).isEqualTo(first.at("/choices/0/message/content").asText());
        assertThat(gw.upstream().received()).as("only the first went upstream").hasSize(1);
    }

    @Test
    void anAnthropicClientDoesNotReadAnOpenAiClientsEntry() {
        String key = gw.key("acme", "payments", "ana");
        String question = "Which doors share entries? (doors)";
        gw.postOpenAi(key, chat(question, false, ""));
        gw.awaitCaptures(++captures);
        // The same canonical request, but keyed with the anthropic-version only Anthropic clients send.
        HttpResponse<String> anthropic = gw.post(key, ask(question, false));
        assertThat(anthropic.statusCode()).as(anthropic.body()).isEqualTo(200);
        assertThat(cacheStatus(anthropic)).isEqualTo("miss");
        assertThat(gw.upstream().received()).hasSize(2);
    }

    @Test
    void aBadCacheHeaderThroughTheOpenAiDoorIsA400InOpenAisEnvelope() {
        String key = gw.key("acme", "payments", "ana");
        HttpResponse<String> r = gw.postOpenAi(key, chat("bad header", false, ""), "x-sluice-cache-ttl", "forever");
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode body = json(r.body());
        assertThat(body.has("type")).as("not Anthropic's envelope: " + r.body()).isFalse();
        assertThat(body.at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(body.at("/error/message").asText()).contains("x-sluice-cache-ttl").contains("forever");
        assertThat(body.path("error").has("param")).isTrue();
        assertThat(gw.upstream().received()).isEmpty();
    }

    @Test
    void aHitIsAdmittedByTheBudgetShowsTheStandingAndAddsNothingToTheSpend() throws Exception {
        String key = gw.key("initech", "tps", "peter"); // the only org with a budget: no other test spends against it
        String cached = ask("Summarise the budget design (budget)", false);
        HttpResponse<String> miss = gw.post(key, cached, "x-sim-output-tokens", "40");
        gw.awaitCaptures(++captures);
        BigDecimal afterMiss = awaitSpent(cost(miss, key), BigDecimal.ZERO);

        HttpResponse<String> hit = gw.post(key, cached);
        assertThat(cacheStatus(hit)).isEqualTo("hit");
        assertThat(hit.headers().firstValue("x-sluice-budget").orElseThrow()).as("the budget stage ran for the hit")
                .startsWith("initech-month");
        // Another call with a different cost: the budget's spend must end at exactly the two live calls' costs.
        HttpResponse<String> other = gw.post(key, ask("Something else entirely (budget)", false), "x-sim-output-tokens", "7");
        gw.awaitCaptures(++captures);
        awaitSpent(cost(other, key), afterMiss);
        assertThat(standing().path("reserved").asDouble()).as("no reservation left behind").isZero();
        assertThat(gw.upstream().received()).hasSize(2);
    }

    /** What the ledger says the request cost, in USD. */
    private static BigDecimal cost(HttpResponse<String> r, String key) throws InterruptedException {
        String id = r.headers().firstValue("request-id").orElseThrow();
        for (int i = 0; i < 200; i++) {
            HttpResponse<String> rec = gw.get("/sluice/v1/requests/" + id, key);
            if (rec.statusCode() == 200 && json(rec.body()).path("attempts").size() > 0) {
                BigDecimal c = new BigDecimal(json(rec.body()).path("attempts").get(0).path("cost_usd").asText()); // a string
                assertThat(c.signum()).as("a live call costs something").isPositive();
                return c;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no ledger record for " + id);
    }

    /** Waits until org initech's budget shows {@code before + added} spent (settling is asynchronous) and returns it. */
    private static BigDecimal awaitSpent(BigDecimal added, BigDecimal before) throws InterruptedException {
        BigDecimal expected = before.add(added);
        BigDecimal spent = null;
        for (int i = 0; i < 200; i++) {
            spent = standing().path("spent").decimalValue();
            if (spent.subtract(expected).abs().compareTo(new BigDecimal("0.000001")) < 0) {
                return spent;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("budget spent " + spent + ", expected " + expected);
    }

    /** Org initech's standing against its monthly budget. */
    private static JsonNode standing() {
        JsonNode status = gw.admin("GET", "/admin/budgets/status?org=initech", null);
        for (JsonNode s : status.path("standings")) {
            if (s.path("budget").asText().equals("initech-month")) {
                return s;
            }
        }
        throw new AssertionError("no standing for initech-month: " + status);
    }

    private static List<String> dataLines(String body) {
        List<String> out = new ArrayList<>();
        for (String frame : body.split("\n\n")) {
            if (frame.startsWith("data: ")) {
                out.add(frame.substring(6));
            }
        }
        return out;
    }
}
