package dev.sluice.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.sim.ReceivedRequest;
import dev.sluice.testing.Http;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Through a running gateway and the simulated upstream: {@code GET /v1/models} lists what the caller
 * may use (from the configured catalog, or the upstream's list filtered), and the billing group named
 * in request tags is recorded for spend reports while {@code tags} and its beta value never reach the
 * upstream for a signed-in developer (the sim records the forwarded body byte for byte).
 */
class ModelsAndBillingTest {
    static final String POLICY = """
            models:
              deny: ["claude-opus-*"]
              groups: {science: {allow: ["claude-haiku-*"]}}
            """;
    @TempDir
    Path data;

    @Test
    void theCatalogListsOnlyWhatEachDeveloperMayUse() {
        try (SigninHarness h = SigninHarness.builder(data).noIdp().signin(POLICY
                + "  listed: [claude-sonnet-4-5, claude-opus-4-1, claude-haiku-4-5]\n").start()) {
            String eng = h.session("eng@corp.example", List.of("eng"), "platform");
            String science = h.session("sci@corp.example", List.of("science"), "research");
            assertThat(ids(get(h, "/v1/models", eng))).containsExactly("claude-sonnet-4-5", "claude-haiku-4-5");
            assertThat(ids(get(h, "/v1/models", science))).containsExactly("claude-haiku-4-5");
            HttpResponse<String> one = get(h, "/v1/models/claude-sonnet-4-5", eng);
            assertThat(Http.json(one.body()).get("display_name").asText()).isEqualTo("Claude Sonnet 4.5");
            HttpResponse<String> denied = get(h, "/v1/models/claude-opus-4-1", eng);
            assertThat(denied.statusCode()).isEqualTo(404);
            assertThat(Http.json(denied.body()).at("/error/type").asText()).isEqualTo("not_found_error");
            assertThat(get(h, "/v1/models/claude-sonnet-4-5", science).statusCode()).as("not in the group's allow-list").isEqualTo(404);
            assertThat(get(h, "/v1/models", null).statusCode()).as("sign-in is required").isEqualTo(401);

            HttpResponse<String> opus = message(h, eng, "{\"model\":\"claude-opus-4-1\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", null);
            assertThat(opus.statusCode()).isEqualTo(400);
            assertThat(Http.json(opus.body()).at("/error/message").asText()).contains("claude-opus-4-1");
            assertThat(h.sim().recorder().received()).as("nothing was forwarded").isEmpty();
        }
    }

    @Test
    void aRouteThatMapsAnAllowedNameOntoADeniedModelIsRefused() {
        String routes = """
                routes:
                  - {match: "best", upstream: sim, model: claude-opus-4-6}
                  - {match: "safe", upstream: sim, model: claude-sonnet-4-5}
                  - {match: "*", upstream: sim}
                """;
        try (SigninHarness h = SigninHarness.builder(data).noIdp().signin(POLICY).top(routes).start()) {
            String eng = h.session("eng@corp.example", List.of("eng"), "platform");
            HttpResponse<String> best = message(h, eng, "{\"model\":\"best\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", null);
            assertThat(best.statusCode()).as(best.body()).isEqualTo(400);
            assertThat(Http.json(best.body()).at("/error/message").asText()).contains("best");
            assertThat(h.sim().recorder().received()).as("nothing was forwarded").isEmpty();
            HttpResponse<String> safe = message(h, eng, "{\"model\":\"safe\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", null);
            assertThat(safe.statusCode()).as(safe.body()).isEqualTo(200);
        }
    }

    @Test
    void withoutACatalogTheUpstreamsListIsFilteredOnTheWayBack() {
        try (SigninHarness h = SigninHarness.builder(data).noIdp().signin(POLICY).start()) {
            String eng = h.session("eng@corp.example", List.of("eng"), "platform");
            HttpResponse<String> r = get(h, "/v1/models?limit=100", eng);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            List<String> ids = ids(r);
            assertThat(ids).isNotEmpty().noneMatch(id -> id.startsWith("claude-opus-")).anyMatch(id -> id.startsWith("claude-sonnet-"));
            JsonNode doc = Http.json(r.body());
            assertThat(doc.get("first_id").asText()).isEqualTo(ids.getFirst());
            assertThat(doc.get("last_id").asText()).isEqualTo(ids.getLast());
            assertThat(get(h, "/v1/models/claude-opus-4-6", eng).statusCode()).isEqualTo(404);
            assertThat(get(h, "/v1/models/claude-sonnet-4-5-20250929", eng).statusCode()).isEqualTo(200);
            HttpResponse<String> deniedAtOpenAi = get(h, "/openai/v1/models/claude-opus-4-6", eng);
            assertThat(deniedAtOpenAi.statusCode()).as("the OpenAI door names no denied model either").isEqualTo(404);
            assertThat(deniedAtOpenAi.body()).doesNotContain("display_name").doesNotContain("\"created\"");
            assertThat(get(h, "/openai/v1/models/claude-sonnet-4-5-20250929", eng).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theBillingGroupIsRecordedAndTagsNeverReachTheUpstreamForASignedInDeveloper() {
        try (SigninHarness h = SigninHarness.builder(data).noIdp().signin("billing-group-tag: project\n").start()) {
            String dev = h.session("dev@corp.example", List.of("eng", "payments"), "platform");
            // Two tags members are refused (parsers disagree on which counts); one goes, read for the group and taken out.
            String twice = "{\"tags\": {\"project\": \"x\"}, \"model\":\"claude-sonnet-4-5\",\n"
                    + " \"max_tokens\":8, \"messages\":[{\"role\":\"user\",\"content\":\"hi\"}], \"tags\":{\"project\":\"payments\",\"repo\":\"api\"}}";
            HttpResponse<String> refused = message(h, dev, twice, "request-tags-2026-08-21");
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(refused.body()).contains("'tags' twice");
            String body = "{\"tags\": {\"project\":\"payments\",\"repo\":\"api\"}, \"model\":\"claude-sonnet-4-5\",\n"
                    + " \"max_tokens\":8, \"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            HttpResponse<String> r = message(h, dev, body, "request-tags-2026-08-21, interleaved-thinking-2025-05-14");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            ReceivedRequest sent = h.sim().recorder().received().getLast();
            assertThat(sent.bodyText()).as("every other byte as sent").isEqualTo("{\"model\":\"claude-sonnet-4-5\",\n"
                    + " \"max_tokens\":8, \"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            assertThat(sent.header("anthropic-beta")).isEqualTo("interleaved-thinking-2025-05-14");

            String last = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                    + "\"tags\":{\"project\":\"marketing\"}}";
            assertThat(message(h, dev, last, "request-tags-2026-08-21").statusCode()).isEqualTo(200);
            ReceivedRequest second = h.sim().recorder().received().getLast();
            assertThat(Http.json(second.bodyText()).has("tags")).isFalse();
            assertThat(second.header("anthropic-beta")).isNull();

            JsonNode report = OAuth.eventually(Duration.ofSeconds(10), () -> {
                JsonNode rep = h.admin("GET", "/admin/spend?by=tag:billing_group&since=1h", null);
                return rep.toString().contains("payments") ? rep : null;
            });
            assertThat(report.toString()).as("a group the developer is not in is not recorded").doesNotContain("marketing");
        }
    }

    /** Issue-13 attack round, M1: names that reach the denied model by another spelling are refused like it. */
    @Test
    void lookAlikeNamesOfADeniedModelAreRefusedBeforeAnythingIsForwarded() {
        try (SigninHarness h = SigninHarness.builder(data).noIdp().signin(POLICY)
                .top("routing: {models: [{id: claude-opus-4-6, aliases: [opus]}, {id: claude-sonnet-4-5, aliases: [sonnet]}]}\n")
                .start()) {
            String eng = h.session("eng@corp.example", List.of("eng"), "platform");
            for (String model : List.of("claude-opus-4-6", "CLAUDE-OPUS-4-6", "us.anthropic.claude-opus-4-6-v1:0", "opus")) {
                HttpResponse<String> r = message(h, eng, "{\"model\":\"" + model + "\",\"max_tokens\":8,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", null);
                assertThat(r.statusCode()).as(model + ": " + r.body()).isEqualTo(400);
                assertThat(Http.json(r.body()).at("/error/message").asText()).contains(model);
            }
            assertThat(h.sim().recorder().received()).as("nothing was forwarded").isEmpty();
            HttpResponse<String> sonnet = message(h, eng, "{\"model\":\"sonnet\",\"max_tokens\":8,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", null);
            assertThat(sonnet.statusCode()).as(sonnet.body()).isEqualTo(200);
        }
    }

    /** Attack round: a tag header cannot record spend against a billing group the developer is not in. */
    @Test
    void onlyAGroupTheDeveloperIsInIsRecordedWhateverTheHeadersSay() {
        try (SigninHarness h = SigninHarness.builder(data).noIdp().signin("billing-group-tag: project\n").start()) {
            String dev = h.session("dev@corp.example", List.of("eng", "payments"), "platform");
            String plain = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            String tagged = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                    + "\"tags\":{\"project\":\"payments\"}}";
            HttpResponse<String> header = send(h, dev, tagged, "marketing");
            assertThat(header.statusCode()).as("the gateway's own tag is refused in a header").isEqualTo(400);
            assertThat(header.body()).contains("x-sluice-tag-billing_group");
            assertThat(send(h, dev, plain, null).statusCode()).isEqualTo(200);
            assertThat(send(h, dev, tagged, null).statusCode()).isEqualTo(200);
            String taggedOther = tagged.replace("payments", "finance");
            assertThat(send(h, dev, taggedOther, null).statusCode()).isEqualTo(200);
            JsonNode report = spendByGroup(h, 3);
            assertThat(report.toString()).contains("payments").doesNotContain("marketing").doesNotContain("finance");
        }
    }

    /** Attack round, M3: setting {@code billing-group-tag} by reload takes effect on the next request. */
    @Test
    void aBillingGroupTagAddedByReloadIsRecorded() {
        try (SigninHarness h = SigninHarness.builder(data).noIdp().start()) {
            String dev = h.session("dev@corp.example", List.of("eng", "payments"), "platform");
            String reloaded = h.yaml().replace("  poll-interval: 1s\n", "  poll-interval: 1s\n  billing-group-tag: project\n");
            assertThat(reloaded).isNotEqualTo(h.yaml());
            h.gateway().live().apply(reloaded, "signin-test", "test", "reload");
            String tagged = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                    + "\"tags\":{\"project\":\"payments\"}}";
            assertThat(message(h, dev, tagged, "request-tags-2026-08-21").statusCode()).isEqualTo(200);
            assertThat(Http.json(h.sim().recorder().received().getLast().bodyText()).has("tags")).isFalse();
            assertThat(spendByGroup(h, 1).toString()).contains("payments");
        }
    }

    /** The spend report by billing group once {@code requests} requests are recorded in it. */
    private static JsonNode spendByGroup(SigninHarness h, int requests) {
        return OAuth.eventually(Duration.ofSeconds(10), () -> {
            JsonNode rep = h.admin("GET", "/admin/spend?by=tag:billing_group&since=1h", null);
            int n = 0;
            for (JsonNode row : rep.path("data")) {
                n += row.path("requests").asInt();
            }
            return n >= requests ? rep : null;
        });
    }

    private static HttpResponse<String> send(SigninHarness h, String bearer, String body, String groupHeader) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(h.url() + "/v1/messages")).timeout(Duration.ofSeconds(20))
                .header("authorization", "Bearer " + bearer).header("anthropic-version", "2023-06-01")
                .header("content-type", "application/json");
        if (groupHeader != null) {
            b.header("x-sluice-tag-billing_group", groupHeader);
        }
        return Http.send(b.POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static List<String> ids(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        Http.json(r.body()).get("data").forEach(m -> ids.add(m.get("id").asText()));
        return ids;
    }

    private static HttpResponse<String> get(SigninHarness h, String path, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(h.url() + path)).timeout(Duration.ofSeconds(10))
                .header("anthropic-version", "2023-06-01");
        if (bearer != null) {
            b.header("authorization", "Bearer " + bearer);
        }
        return Http.send(b.build());
    }

    private static HttpResponse<String> message(SigninHarness h, String bearer, String body, String beta) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(h.url() + "/v1/messages")).timeout(Duration.ofSeconds(20))
                .header("authorization", "Bearer " + bearer).header("anthropic-version", "2023-06-01")
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (beta != null) {
            b.header("anthropic-beta", beta);
        }
        return Http.send(b.build());
    }
}
