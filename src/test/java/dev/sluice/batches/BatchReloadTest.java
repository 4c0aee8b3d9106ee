package dev.sluice.batches;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A reload that removes the upstream a Message Batch lives on: the caller's other batches stay listed and usable, that
 * batch's own calls get a clear error in Anthropic's envelope that the SDKs do not retry, another key still gets the
 * same 404 as for any id (nothing about where the batch lives), and a reload that brings the upstream back brings the
 * batch back.
 */
class BatchReloadTest {
    private static final String OTHER_KEY = "sk-sluice-reload-other-0123";
    private static final Path DATA = dir();
    private static final String CONFIG = """
            server: {port: 0, event-loops: 1}
            auth:
              keys: ["${GATEWAY_KEY}", "%s"]
            store: {data-dir: "%s"}
            upstreams:
            %s  - name: spare
                base-url: ${SIM_URL}
                keys: [{alias: spare-key, value: "${UPSTREAM_KEY}"}]
            routes:
              - {match: "*", upstream: %s}
            """;
    private static final String FIRST = """
              - name: first
                base-url: ${SIM_URL}
                keys: [{alias: first-key, value: "${UPSTREAM_KEY}"}]
            """;

    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig(CONFIG.formatted(OTHER_KEY, DATA, FIRST, "first"));

    private static HttpResponse<String> call(String key, String method, String path, String body) {
        HttpRequest.Builder b = Http.request(SLUICE.gatewayUrl(), path).setHeader("x-api-key", key)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return Http.send(b.build());
    }

    private static String create(String text) {
        HttpResponse<String> r = call(SluiceHarness.GATEWAY_KEY, "POST", "/v1/messages/batches", """
                {"requests": [{"custom_id": "a", "params": {"model": "%s", "max_tokens": 16,
                  "messages": [{"role": "user", "content": %s}]}}]}""".formatted(SluiceHarness.MODEL, Http.quote(text)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Http.json(r.body()).path("id").asText();
    }

    private static void reload(String upstreams, String route) {
        SLUICE.harness().gateway().live().apply(CONFIG.formatted(OTHER_KEY, DATA, upstreams, route), "test.yaml", "test", "test");
    }

    @Test
    void aBatchWhoseUpstreamIsRemovedIsAClearErrorAndTheCallersOtherBatchesStayListed() {
        String stranded = create("On the upstream about to go");
        reload("", "spare");
        try {
            String kept = create("On the spare upstream");

            HttpResponse<String> list = call(SluiceHarness.GATEWAY_KEY, "GET", "/v1/messages/batches", null);
            assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
            JsonNode page = Http.json(list.body());
            assertThat(page.path("data").findValuesAsText("id")).contains(kept).doesNotContain(stranded);

            for (String[] c : new String[][] {{"GET", ""}, {"POST", "/cancel"}, {"GET", "/results"}, {"DELETE", ""}}) {
                HttpResponse<String> r = call(SluiceHarness.GATEWAY_KEY, c[0], "/v1/messages/batches/" + stranded + c[1], null);
                assertThat(r.statusCode()).as(c[0] + c[1] + " " + r.body()).isEqualTo(502);
                assertThat(r.headers().firstValue("x-should-retry")).as(c[0] + c[1]).contains("false");
                JsonNode e = Http.json(r.body());
                assertThat(e.path("type").asText()).isEqualTo("error");
                assertThat(e.at("/error/message").asText()).contains("no longer configured");

                HttpResponse<String> theirs = call(OTHER_KEY, c[0], "/v1/messages/batches/" + stranded + c[1], null);
                assertThat(theirs.statusCode()).as(theirs.body()).isEqualTo(404);
                assertThat(theirs.body()).doesNotContain("first").contains("for this key");
            }
        } finally {
            reload(FIRST, "first");
        }
        HttpResponse<String> back = call(SluiceHarness.GATEWAY_KEY, "GET", "/v1/messages/batches/" + stranded, null);
        assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
        HttpResponse<String> list = call(SluiceHarness.GATEWAY_KEY, "GET", "/v1/messages/batches", null);
        assertThat(Http.json(list.body()).path("data").findValuesAsText("id")).contains(stranded);
    }

    @Test
    void hostileListParametersAreClearRefusalsAndAnotherKeysCursorIsUnknown() {
        String mine = create("Mine");
        for (String q : new String[] {"limit=0", "limit=101", "limit=-1", "limit=abc", "limit=1e2", "limit=99999999999",
                "after_id=" + "x".repeat(129), "before_id=" + mine + "&after_id=" + mine, "after_id=msgbatch_01NoSuch",
                "after_id=pending%3Areq_1", "after_id=%27%20OR%201%3D1--"}) {
            HttpResponse<String> r = call(SluiceHarness.GATEWAY_KEY, "GET", "/v1/messages/batches?" + q, null);
            assertThat(r.statusCode()).as(q + " " + r.body()).isEqualTo(400);
            assertThat(Http.json(r.body()).at("/error/type").asText()).as(q).isEqualTo("invalid_request_error");
        }
        // Another key's batch as a cursor: the same refusal as an unknown id, and none of the owner's batches.
        HttpResponse<String> theirs = call(OTHER_KEY, "GET", "/v1/messages/batches?after_id=" + mine, null);
        assertThat(theirs.statusCode()).as(theirs.body()).isEqualTo(400);
        assertThat(theirs.body()).contains("not a Message Batch of this key");
        HttpResponse<String> list = call(OTHER_KEY, "GET", "/v1/messages/batches?limit=100", null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(Http.json(list.body()).path("data").findValuesAsText("id")).doesNotContain(mine);
        // An id with a path in it is not a batch: a 404, and nothing of the upstream's other paths is reached.
        int received = SLUICE.recorder().received().size();
        for (String path : new String[] {"/v1/messages/batches/" + mine + "/results/x", "/v1/messages/batches/..%2F..%2Fv1%2Fmodels",
                "/v1/messages/batches/" + "m".repeat(129), "/v1/messages/batches/pending:req_1"}) {
            HttpResponse<String> r = call(SluiceHarness.GATEWAY_KEY, "GET", path, null);
            assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(404);
            assertThat(Http.json(r.body()).path("type").asText()).isEqualTo("error");
        }
        assertThat(SLUICE.recorder().received()).hasSize(received);
    }

    private static Path dir() {
        try {
            return Files.createTempDirectory("sluice-batch-reload");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
