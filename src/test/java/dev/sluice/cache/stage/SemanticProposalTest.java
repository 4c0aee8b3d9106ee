package dev.sluice.cache.stage;

import static dev.sluice.cache.stage.CacheGateway.cacheStatus;
import static dev.sluice.cache.stage.SemanticEndToEndTest.turn;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.CliRun;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The threshold proposal through a real gateway: a thumbs-down on a semantic answer is a verdict filed under the
 * request's model; {@code GET /admin/cache/semantic/proposal} proposes raising that model's threshold above it,
 * with the evidence; {@code POST .../apply} applies it as a configuration version recorded with who and why; and
 * {@code SemanticRollback} guards that version like any other (a wrong-answer signal during its trial rolls it back).
 */
class SemanticProposalTest {
    private static final String SECTION = "cache:\n  semantic: {mode: on, max-wait: 5s, rollback: {window: 30s, min-hits: 1},"
            + " table-dir: \"" + Path.of(System.getProperty("java.io.tmpdir"), "sluice-semantic-test") + "\"}\n";

    @Test
    void aWrongVerdictBecomesARaiseProposalThatIsAppliedAsAVersionOnTrial(@TempDir Path data) throws Exception {
        try (CacheGateway gw = CacheGateway.start(data, SECTION)) {
            String ana = gw.key("acme", "payments", "ana");
            await("model open", () -> gw.gateway().cache().semantic().ready());
            JsonNode before = gw.admin("GET", "/admin/cache/semantic/proposal", null);
            assertThat(before.path("changes").asBoolean()).as(before.toString()).isFalse();
            assertThat(before.path("verdicts").asInt()).isZero();

            // A semantic answer, then a thumbs-down on it.
            askAndIndex(gw, ana, turn("p-1", "How do I run the integration tests for the billing module?"));
            HttpResponse<String> hit = gw.post(ana, turn("p-1", "How do I run the integration tests for the billing module, please?"));
            assertThat(cacheStatus(hit)).isEqualTo("semantic");
            double similarity = Double.parseDouble(hit.headers().firstValue("x-sluice-cache-similarity").orElseThrow());
            assertThat(feedback(gw, ana, hit.headers().firstValue("request-id").orElseThrow()).statusCode()).isEqualTo(200);

            JsonNode proposal = gw.admin("GET", "/admin/cache/semantic/proposal?since=1d", null);
            assertThat(proposal.path("changes").asBoolean()).as(proposal.toString()).isTrue();
            JsonNode row = proposal.path("proposals").get(0);
            assertThat(row.path("glob").asText()).isEqualTo(CacheGateway.MODEL);
            assertThat(row.path("change").asText()).isEqualTo("raise");
            assertThat(row.path("current").decimalValue().doubleValue()).isEqualTo(0.92);
            assertThat(row.path("proposed").decimalValue().doubleValue()).isGreaterThan(similarity);
            assertThat(row.path("evidence").path("wrong").asInt()).isEqualTo(1);
            assertThat(row.path("evidence").path("wrong_at_proposed").asInt()).isZero();
            CliRun printed = CliRun.of("cache", "thresholds", "--url", gw.url(), "--admin-key", CacheGateway.ADMIN, "--since", "1d");
            assertThat(printed.code()).isZero();
            assertThat(printed.out()).contains(CacheGateway.MODEL).contains("raise").contains("0.9200");

            // Started from a parsed configuration, not a file: nothing to edit until a version holds its text.
            HttpResponse<String> noText = gw.adminCall("POST", "/admin/cache/semantic/proposal/apply", null);
            assertThat(noText.statusCode()).isEqualTo(409);
            assertThat(noText.body()).contains("no text of the configuration serving now");
            gw.reload("mode: on", "mode: on");
            int versionBefore = gw.gateway().live().current().version();
            JsonNode applied = gw.admin("POST", "/admin/cache/semantic/proposal/apply", null);
            int tuned = applied.path("version").asInt();
            assertThat(tuned).isGreaterThan(versionBefore);
            var live = gw.gateway().live();
            assertThat(live.current().config().cache().semantic().thresholds().get(CacheGateway.MODEL)).isGreaterThan(similarity);
            var recorded = live.history().getLast();
            assertThat(recorded.number()).isEqualTo(tuned);
            assertThat(recorded.source()).startsWith("semantic threshold proposal: " + CacheGateway.MODEL + " 0.9200 -> ");
            assertThat(recorded.who()).isNotBlank();
            assertThat(gw.adminCall("POST", "/admin/cache/semantic/proposal/apply", null).statusCode())
                    .as("nothing left to change").isEqualTo(409);

            // The applied version is on trial: a wrong-answer signal on a semantic hit during it rolls it back.
            askAndIndex(gw, ana, turn("p-2", "Where is the retry budget for outgoing webhooks set?"));
            HttpResponse<String> second = gw.post(ana, turn("p-2", "Where is the retry budget for outgoing webhooks set?  "));
            // Whitespace makes another exact key but the same word pieces: similarity 1, above any raised bar.
            assertThat(cacheStatus(second)).isEqualTo("semantic");
            assertThat(feedback(gw, ana, second.headers().firstValue("request-id").orElseThrow()).statusCode()).isEqualTo(200);
            await("rolled back", () -> live.current().config().cache().semantic().thresholds().isEmpty());
            assertThat(live.history().getLast().who()).isEqualTo("sluice-semantic-rollback");
            assertThat(live.history().getLast().source()).isEqualTo("rollback to " + (tuned - 1));
        }
    }

    private static void askAndIndex(CacheGateway gw, String key, String body) throws InterruptedException {
        SemanticService s = gw.gateway().cache().semantic();
        long indexed = s.stats().indexedQuestions();
        long captures = gw.counts().stored() + gw.counts().notStored();
        assertThat(cacheStatus(gw.post(key, body))).isEqualTo("miss");
        gw.awaitCaptures(captures + 1);
        await("indexed", () -> s.stats().indexedQuestions() > indexed);
    }

    private static HttpResponse<String> feedback(CacheGateway gw, String key, String requestId) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gw.url() + "/sluice/v1/feedback"))
                .header("x-api-key", key).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"request_id\":\"" + requestId + "\",\"rating\":\"down\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void await(String what, BooleanSupplier ok) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!ok.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(ok.getAsBoolean()).as(what).isTrue();
    }
}
