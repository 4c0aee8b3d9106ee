package dev.sluice.cache.stage;

import static dev.sluice.cache.stage.CacheGateway.ask;
import static dev.sluice.cache.stage.CacheGateway.cacheStatus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sim.SimHeaders;
import dev.sluice.testing.SluiceHarness;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the cache stores through the real gateway: only clean, completed answers. A stream cut short or
 * ending in an error event, an error status, a {@code max_tokens} stop or a refusal (unless the route allows
 * them) and anything the write guard flags is served to the client that asked, never stored, so the same
 * request asked again goes upstream again.
 */
class CacheStorePolicyTest {
    @TempDir
    static Path data;
    private static FixedUpstream refusals;
    private static CacheGateway gw;
    private static String key;

    @BeforeAll
    static void start() {
        refusals = new FixedUpstream();
        gw = CacheGateway.start(data, "  - {name: fixed, base-url: \"" + refusals.url() + "\", keys: [{alias: f, value: sk-fixed}]}\n"
                + "  - {name: sim2, base-url: \"${SIM_URL}\", keys: [{alias: one, value: key-one}, {alias: two, value: key-two}]}\n", """
                routes:
                  - {match: "claude-refuse*", upstream: fixed}
                  - {match: "claude-retry*", upstream: sim2}
                  - {match: "*", upstream: sim}
                cache:
                  routes:
                    - {match: "claude-keep-cut*", store-max-tokens: true}
                    - {match: "claude-refuse-kept*", store-refusals: true}
                """);
        key = gw.key("acme", "payments", "ana");
    }

    @BeforeEach
    void clear() {
        gw.upstream().clear();
    }

    @AfterAll
    static void stop() {
        gw.close();
        refusals.close();
    }

    @Test
    void aCleanStreamIsStoredAndServed() {
        assertStored(ask("clean stream", true));
    }

    @Test
    void aStreamCutShortIsNotStored() {
        assertNotStored(ask("cut stream", true), "incomplete", SimHeaders.FAULT, "cut:6");
    }

    @Test
    void aStreamWithAnErrorEventIsNotStored() {
        assertNotStored(ask("error event stream", true), "error", SimHeaders.FAULT, "error-event:6");
    }

    @Test
    void anErrorStatusIsNotStored() {
        assertNotStored(ask("server error", false), "error", SimHeaders.FAULT, "500");
    }

    @Test
    void aMaxTokensStopIsNotStoredUnlessTheRouteAllowsIt() {
        String cut = "{\"model\":\"" + SluiceHarness.MODEL + "\",\"max_tokens\":5,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"long answer\"}]}";
        assertNotStored(cut, "stop_reason max_tokens", SimHeaders.OUTPUT_TOKENS, "40");
        String kept = cut.replace(SluiceHarness.MODEL, "claude-keep-cut-1");
        assertStored(kept, SimHeaders.OUTPUT_TOKENS, "40");
    }

    @Test
    void aRefusalIsNotStoredUnlessTheRouteAllowsIt() {
        int before = refusals.answered();
        String refused = "{\"model\":\"claude-refuse-1\",\"max_tokens\":50,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"something refused\"}]}";
        long captures = captures();
        assertThat(cacheStatus(gw.post(key, refused))).isEqualTo("miss");
        gw.awaitCaptures(captures + 1);
        HttpResponse<String> again = gw.post(key, refused.replace("\"stream\":true", "\"stream\":false"));
        assertThat(cacheStatus(again)).isEqualTo("miss");
        assertThat(again.body()).contains("\"stop_reason\":\"refusal\"");
        gw.awaitCaptures(captures + 2);
        assertThat(refusals.answered() - before).isEqualTo(2);

        String allowed = refused.replace("claude-refuse-1", "claude-refuse-kept-1");
        assertThat(cacheStatus(gw.post(key, allowed))).isEqualTo("miss");
        gw.awaitCaptures(captures + 3);
        assertThat(cacheStatus(gw.post(key, allowed))).isEqualTo("hit");
        assertThat(refusals.answered() - before).isEqualTo(3);
    }

    @Test
    void anAnswerTheWriteGuardFlagsIsServedButNotStored() {
        String secret = echoing("aws_key = AKIAQWERTYUIOPASDFGH");
        long captures = captures();
        HttpResponse<String> first = gw.post(key, secret);
        assertThat(first.body()).as("the asker still gets the answer").contains("AKIAQWERTYUIOPASDFGH");
        gw.awaitCaptures(captures + 1);
        assertThat(cacheStatus(gw.post(key, secret))).isEqualTo("miss");
        gw.awaitCaptures(captures + 2);

        gw.gateway().cache().writeGuards().plug(text -> text.contains("zebra") ? "plugged scanner: zebra" : null);
        try {
            assertNotStored(echoing("a zebra crossing"), "plugged", "x-unused", "1");
        } finally {
            gw.gateway().cache().writeGuards().plug(dev.sluice.cache.entry.WriteGuard.NONE);
        }
    }

    @Test
    void anAnswerAfterARetryOnTheNextKeyIsStored() {
        String body = ask("retried", false).replace(SluiceHarness.MODEL, "claude-retry-1");
        long captures = captures();
        HttpResponse<String> first = gw.post(key, body, SimHeaders.FAULT, "529", SimHeaders.FAULT_KEY, "key-one");
        assertThat(first.statusCode()).isEqualTo(200);
        gw.awaitCaptures(captures + 1);
        assertThat(gw.counts().stored()).isPositive();
        assertThat(cacheStatus(gw.post(key, body))).isEqualTo("hit");
    }

    /** A turn after a Read whose result is {@code line}: the simulator's answer quotes it. */
    private static String echoing(String line) {
        return "{\"model\":\"" + SluiceHarness.MODEL + "\",\"max_tokens\":60,\"messages\":["
                + "{\"role\":\"user\",\"content\":\"read it\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"Read\",\"input\":{}}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\","
                + "\"content\":\"" + line + "\"}]}]}";
    }

    private static long captures() {
        return gw.counts().stored() + gw.counts().notStored();
    }

    private static void assertStored(String body, String... headers) {
        long captures = captures();
        long stored = gw.counts().stored();
        int upstream = gw.upstream().received().size();
        assertThat(cacheStatus(gw.post(key, body, headers))).isEqualTo("miss");
        gw.awaitCaptures(captures + 1);
        assertThat(gw.counts().stored()).isEqualTo(stored + 1);
        assertThat(cacheStatus(gw.post(key, body, headers))).isEqualTo("hit");
        assertThat(gw.upstream().received()).hasSize(upstream + 1);
    }

    /** The answer reaches the client, is refused by the capture, and the same request misses again. */
    private static void assertNotStored(String body, String why, String... headers) {
        long captures = captures();
        long refused = gw.counts().notStored();
        gw.post(key, body, headers);
        gw.awaitCaptures(captures + 1);
        assertThat(gw.counts().notStored()).as(why).isEqualTo(refused + 1);
        HttpResponse<String> again = gw.post(key, body);
        assertThat(cacheStatus(again)).as(why).isEqualTo("miss");
        gw.awaitCaptures(captures + 2);
    }
}
