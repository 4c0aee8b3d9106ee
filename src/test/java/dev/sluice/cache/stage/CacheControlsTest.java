package dev.sluice.cache.stage;

import static dev.sluice.cache.stage.CacheGateway.ask;
import static dev.sluice.cache.stage.CacheGateway.cacheStatus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.CliRun;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache's controls through the real gateway: per-request TTL, namespace, refresh and no-store; modes per
 * route and per request (a request narrows, never widens); busting through the admin API and the CLI; a
 * reload that changes a route's policy; bad headers refused before anything is forwarded.
 */
class CacheControlsTest {
    @TempDir
    static Path data;
    private static CacheGateway gw;
    private static String key;
    private static long captures;

    @BeforeAll
    static void start() {
        gw = CacheGateway.start(data, """
                cache:
                  routes:
                    - {match: "claude-ro*", mode: read-only}
                    - {match: "claude-wo*", mode: write-only}
                    - {match: "claude-off*", mode: off}
                """);
        key = gw.key("acme", "payments", "ana");
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

    /** Sends, waits for its capture when it was a miss or refresh, and returns the cache status. */
    private static String send(String body, String... headers) {
        HttpResponse<String> r = gw.post(key, body, headers);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String status = cacheStatus(r);
        if (status.equals("miss") || status.equals("refresh")) {
            gw.awaitCaptures(++captures);
        }
        return status;
    }

    /** Sends a request that may not be stored (read-only, no-store): no capture to wait for. */
    private static String sendUnstored(String body, String... headers) {
        HttpResponse<String> r = gw.post(key, body, headers);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return cacheStatus(r);
    }

    @Test
    void anEntryLivesAsLongAsTheRequestedTtl() throws Exception {
        String body = ask("ttl one second", false);
        assertThat(send(body, "x-sluice-cache-ttl", "1")).isEqualTo("miss");
        assertThat(send(body)).isEqualTo("hit");
        Thread.sleep(1300);
        assertThat(send(body)).as("expired").isEqualTo("miss");
        assertThat(send(body, "cache-control", "max-age=0")).as("max-age=0 refreshes").isEqualTo("refresh");
    }

    @Test
    void namespacesSeparateEntriesAndBustingOneLeavesTheOthers() {
        String body = ask("namespaced question", false);
        assertThat(send(body, "x-sluice-cache-namespace", "sha-1")).isEqualTo("miss");
        assertThat(send(body, "x-sluice-cache-namespace", "sha-1")).isEqualTo("hit");
        assertThat(send(body, "x-sluice-cache-namespace", "sha-2")).isEqualTo("miss");
        assertThat(send(body)).as("no namespace is its own").isEqualTo("miss");

        gw.admin("POST", "/admin/cache/bust", "{\"org\":\"acme\",\"scope\":\"org\",\"namespace\":\"sha-1\"}");
        assertThat(send(body, "x-sluice-cache-namespace", "sha-1")).as("busted").isEqualTo("miss");
        assertThat(send(body, "x-sluice-cache-namespace", "sha-2")).as("not busted").isEqualTo("hit");

        assertThat(CliRun.of("cache", "bust", "--url", gw.url(), "--admin-key", CacheGateway.ADMIN, "--org", "acme", "--scope", "org")
                .code()).isZero();
        assertThat(send(body, "x-sluice-cache-namespace", "sha-2")).as("the whole scope busted").isEqualTo("miss");
        assertThat(send(body)).isEqualTo("miss");
    }

    @Test
    void refreshAndNoStoreDoWhatTheySay() {
        String body = ask("refresh me", false);
        assertThat(send(body)).isEqualTo("miss");
        long stored = gw.counts().stored();
        assertThat(send(body, "x-sluice-cache-refresh", "true")).isEqualTo("refresh");
        assertThat(gw.counts().stored()).as("the fresh answer replaces the entry").isEqualTo(stored + 1);
        assertThat(send(body, "cache-control", "no-cache")).isEqualTo("refresh");
        assertThat(send(body, "pragma", "no-cache")).as("HTTP/1.0's no-cache, without Cache-Control").isEqualTo("refresh");
        assertThat(send(body)).isEqualTo("hit");
        assertThat(gw.upstream().received()).hasSize(4);

        String other = ask("do not keep me", false);
        assertThat(sendUnstored(other, "cache-control", "no-store")).isEqualTo("miss");
        assertThat(sendUnstored(other, "cache-control", "no-store")).as("nothing was kept").isEqualTo("miss");
        assertThat(send(other)).isEqualTo("miss");
        assertThat(sendUnstored(other, "cache-control", "no-store")).as("no-store still reads").isEqualTo("hit");
        assertThat(gw.counts().stored()).isEqualTo(stored + 4);
    }

    @Test
    void modesPerRouteAndPerRequest() {
        String readOnly = ask("read only route", false).replace(CacheGateway.MODEL, "claude-ro-1");
        assertThat(sendUnstored(readOnly)).isEqualTo("miss");
        assertThat(sendUnstored(readOnly)).as("read-only never stores").isEqualTo("miss");
        assertThat(sendUnstored(readOnly, "x-sluice-cache-mode", "on")).as("a request cannot widen").isEqualTo("miss");

        String off = ask("off route", false).replace(CacheGateway.MODEL, "claude-off-1");
        assertThat(send(off)).isEqualTo("bypass");
        assertThat(send(off)).isEqualTo("bypass");

        String writeOnly = ask("write only route", false).replace(CacheGateway.MODEL, "claude-wo-1");
        assertThat(send(writeOnly)).isEqualTo("miss");
        assertThat(send(writeOnly)).as("write-only never reads").isEqualTo("miss");
        gw.reload("{match: \"claude-wo*\", mode: write-only}", "{match: \"claude-wo*\", mode: on}");
        try {
            assertThat(send(writeOnly)).as("what write-only stored is served once the route reads").isEqualTo("hit");
        } finally {
            gw.reload("{match: \"claude-wo*\", mode: write-only}", "{match: \"claude-wo*\", mode: write-only}");
        }
        assertThat(send(writeOnly)).as("the reload back applies").isEqualTo("miss");

        String narrowed = ask("narrowed by the request", false);
        assertThat(sendUnstored(narrowed, "x-sluice-cache-mode", "read-only")).isEqualTo("miss");
        assertThat(send(narrowed)).as("the read-only request stored nothing").isEqualTo("miss");
        assertThat(send(narrowed, "x-sluice-cache-mode", "off")).isEqualTo("bypass");
        assertThat(sendUnstored(narrowed, "x-sluice-cache-mode", "read-only")).isEqualTo("hit");
    }

    @Test
    void badCacheHeadersAreRefusedBeforeAnythingIsForwarded() {
        String body = ask("bad headers", false);
        for (String[] h : new String[][] {{"x-sluice-cache-mode", "sometimes"}, {"x-sluice-cache-ttl", "-5"},
                {"x-sluice-cache-namespace", "no spaces allowed"}, {"x-sluice-cache-refresh", "maybe"},
                {"cache-control", "max-age=forever"}}) {
            HttpResponse<String> r = gw.post(key, body, h[0], h[1]);
            assertThat(r.statusCode()).as(h[0]).isEqualTo(400);
            assertThat(CacheGateway.json(r.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
            assertThat(CacheGateway.json(r.body()).at("/error/message").asText()).containsIgnoringCase(h[0].split("-")[0]);
        }
        assertThat(gw.upstream().received()).isEmpty();
    }

    @Test
    void aCallerPastAHardCapIsRefusedEvenWhenTheAnswerIsCached() {
        String capped = gw.key("acme", "payments", "capped-dev", "0.01");
        String model = "claude-opus-4-20250514";
        String cached = ask("cached before the cap", false).replace(CacheGateway.MODEL, model);
        assertThat(cacheStatus(gw.post(capped, cached, "x-sim-output-tokens", "40"))).isEqualTo("miss");
        gw.awaitCaptures(++captures);
        assertThat(cacheStatus(gw.post(capped, cached))).as("a hit is free").isEqualTo("hit");
        HttpResponse<String> r = null;
        for (int i = 0; i < 10; i++) {
            r = gw.post(capped, ask("spend " + i, false).replace(CacheGateway.MODEL, model), "x-sim-output-tokens", "40");
            if (r.statusCode() == 429) {
                break;
            }
            gw.awaitCaptures(++captures);
        }
        assertThat(r.statusCode()).isEqualTo(429);
        int forwarded = gw.upstream().received().size();
        HttpResponse<String> blocked = gw.post(capped, cached);
        assertThat(blocked.statusCode()).isEqualTo(429);
        assertThat(CacheGateway.json(blocked.body()).at("/error/type").asText()).isEqualTo("billing_error");
        assertThat(gw.upstream().received()).hasSize(forwarded);
    }
}
