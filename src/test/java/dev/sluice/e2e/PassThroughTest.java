package dev.sluice.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sim.BilledUsage;
import dev.sluice.sim.ReceivedRequest;
import dev.sluice.testing.Await;
import dev.sluice.testing.Http;
import dev.sluice.testing.RawHttp;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What crosses the gateway on the way up is what the client sent: the body byte for byte, every
 * header except credentials, transport headers, our own controls and {@code accept-encoding}; the
 * upstream's credential replaces the caller's. On the way down the upstream's account facts are gone
 * and our request id and latency are added.
 */
class PassThroughTest {
    private static final String RENAMED = "claude-haiku-4-5-20251001";

    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig(SluiceHarness.BASE_YAML + """
              - name: nowhere
                base-url: ${CLOSED_URL}
                keys:
                  - alias: k
                    value: sk-nowhere
            routes:
              - match: "alias-haiku"
                upstream: sim
                model: %s
              - match: "claude-nowhere-*"
                upstream: nowhere
              - match: "*"
                upstream: sim
            """.formatted(RENAMED));

    /**
     * Odd whitespace (tabs, CRLF, spaces before colons), fields nobody knows, escapes that a
     * re-serialiser would decode, raw UTF-8, numbers a parser would normalise, {@code cache_control}
     * on tools, system, tool_use and tool_result, and {@code model} last.
     */
    static final String ODD_BODY = "{ \"max_tokens\" :\t64 ,\r\n"
            + "  \"tools\":[{\"name\":\"Read\",\"description\":\"reads\",\"input_schema\":{\"type\":\"object\","
            + "\"properties\":{\"file_path\":{\"type\":\"string\"}},\"required\":[\"file_path\"]},"
            + "\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"1h\"}}],\n"
            + "  \"system\" : [ {\"type\":\"text\",\"text\":\"You are \\u0053luice\\u2019s test \\ud83d\\ude00 caf\u00e9\","
            + "\"cache_control\":{\"type\":\"ephemeral\", \"ttl\":\"1h\"}} ],\n"
            + "  \"messages\":[\n"
            + "    {\"role\":\"user\",\"content\":\"Read /tmp/sluice-odd/file.txt please \\\"now\\\" \\/ \u65e5\u672c\"},\n"
            + "    {\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_01Odd\",\"name\":\"Read\","
            + "\"input\":{\"file_path\":\"/tmp/sluice-odd/file.txt\"},\"cache_control\":{\"type\":\"ephemeral\"}}]},\n"
            + "    {\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01Odd\","
            + "\"content\":\"odd content\",\"cache_control\":{\"type\":\"ephemeral\"},\"x_block_extra\":true}]}\n"
            + "  ],\n"
            + "  \"x_unknown_field\" : {\"nested\":[1, 2.50, 1e3, -0, null, true, \"\\t\"]},\n"
            + "  \"metadata\":{\"user_id\":\"{\\\"device_id\\\":\\\"d1\\\",\\\"session_id\\\":\\\"s1\\\"}\"},\n"
            + "  \"model\"  :  \"" + SluiceHarness.MODEL + "\"\n"
            + "}\r\n";

    /** Headers the client sends that must arrive unchanged (name, value; a name may repeat). */
    private static final List<Map.Entry<String, String>> KEPT = List.of(
            Map.entry("anthropic-version", "2023-06-01"),
            Map.entry("anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14,made-up-beta-2099-01-01"),
            Map.entry("content-type", "application/json"),
            Map.entry("accept", "application/json"),
            Map.entry("user-agent", "claude-cli/2.1.330 (external, cli)"),
            Map.entry("x-app", "cli"),
            Map.entry("X-Claude-Code-Session-Id", "5b0c3a4e-7c1e-4c1f-9b7e-2f1d6f0a9e11"),
            Map.entry("x-stainless-lang", "js"),
            Map.entry("anthropic-dangerous-direct-browser-access", "true"),
            Map.entry("x-unknown-header", "some value; with=params, and \"quotes\""),
            Map.entry("x-repeated", "first"),
            Map.entry("x-repeated", "second"));

    /** Headers the client sends that must not arrive. */
    private static final List<Map.Entry<String, String>> DROPPED = List.of(
            Map.entry("x-api-key", SluiceHarness.GATEWAY_KEY),
            Map.entry("authorization", "Bearer " + SluiceHarness.GATEWAY_KEY),
            Map.entry("accept-encoding", "gzip, br"),
            Map.entry("x-sluice-tag-team", "core"),
            Map.entry("x-sluice-anything", "1"),
            Map.entry("connection", "keep-alive, x-hop-by-hop"),
            Map.entry("x-hop-by-hop", "connection-specific, nominated above"),
            Map.entry("keep-alive", "timeout=5"));

    /**
     * Headers the gateway's own HTTP client sets on the upstream request; {@code accept-encoding} is always
     * {@code identity}, whatever the client accepts (the gateway reads and relays the answer uncoded).
     */
    private static final Set<String> TRANSPORT = Set.of("host", "content-length", "x-api-key", "accept-encoding");

    @Test
    void bodyBytesAndHeadersArriveUnchangedAndTheUpstreamKeyReplacesTheCallers() throws Exception {
        byte[] sent = ODD_BODY.getBytes(UTF_8);
        List<String> pairs = new ArrayList<>();
        for (Map.Entry<String, String> h : KEPT) {
            pairs.add(h.getKey());
            pairs.add(h.getValue());
        }
        for (Map.Entry<String, String> h : DROPPED) {
            pairs.add(h.getKey());
            pairs.add(h.getValue());
        }
        int status;
        try (RawHttp raw = RawHttp.connect(SLUICE.gatewayPort())) {
            status = raw.post("/v1/messages?beta=true", sent, pairs.toArray(String[]::new)).readHead();
            raw.readBody();
        }
        assertThat(status).isEqualTo(200);

        ReceivedRequest got = onlyReceived();
        assertThat(got.uri()).isEqualTo("/v1/messages?beta=true");
        assertThat(got.body()).as("body bytes upstream").isEqualTo(sent);
        for (String name : KEPT.stream().map(Map.Entry::getKey).distinct().toList()) {
            assertThat(values(got, name)).as("header %s upstream", name)
                    .isEqualTo(KEPT.stream().filter(h -> h.getKey().equals(name)).map(Map.Entry::getValue).toList());
        }
        assertThat(values(got, "x-api-key")).containsExactly(SluiceHarness.UPSTREAM_KEY);
        assertThat(got.upstreamKey()).isEqualTo(SluiceHarness.UPSTREAM_KEY);
        Set<String> allowed = new java.util.HashSet<>(TRANSPORT);
        KEPT.forEach(h -> allowed.add(h.getKey().toLowerCase(Locale.ROOT)));
        assertThat(got.headers()).as("headers upstream (nothing dropped arrives, nothing is added)")
                .allSatisfy(h -> assertThat(allowed).contains(h.getKey().toLowerCase(Locale.ROOT)));
        assertThat(values(got, "content-length")).containsExactly(Integer.toString(sent.length));
        assertThat(values(got, "accept-encoding")).containsExactly("identity");
    }

    @Test
    void aRouteThatRenamesTheModelChangesOnlyTheModelBytes() {
        String body = ODD_BODY.replace("\"" + SluiceHarness.MODEL + "\"", "\"alias-haiku\"");
        HttpResponse<String> resp = Http.post(SLUICE.gatewayUrl(), "/v1/messages", body);
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
        assertThat(Http.json(resp.body()).path("model").asText()).isEqualTo(RENAMED);

        String upstream = onlyReceived().bodyText();
        assertThat(upstream).isEqualTo(body.replace("\"alias-haiku\"", "\"" + RENAMED + "\""));
        assertThat(upstream.getBytes(UTF_8)).hasSize(body.getBytes(UTF_8).length + RENAMED.length() - "alias-haiku".length());
    }

    @Test
    void countTokensAndModelsKeepTheirPathQueryAndBody() {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}] , \"model\":\"" + SluiceHarness.MODEL + "\"}";
        HttpResponse<String> counted = Http.post(SLUICE.gatewayUrl(), "/v1/messages/count_tokens?beta=true", body,
                "anthropic-beta", "token-counting-2024-11-01");
        assertThat(counted.statusCode()).as(counted.body()).isEqualTo(200);
        assertThat(Http.json(counted.body()).path("input_tokens").asInt()).isPositive();
        ReceivedRequest got = onlyReceived();
        assertThat(got.uri()).isEqualTo("/v1/messages/count_tokens?beta=true");
        assertThat(got.bodyText()).isEqualTo(body);
        assertThat(got.header("anthropic-beta")).isEqualTo("token-counting-2024-11-01");

        SLUICE.recorder().clear();
        HttpResponse<String> models = Http.send(Http.request(SLUICE.gatewayUrl(), "/v1/models?limit=2").GET().build());
        assertThat(models.statusCode()).as(models.body()).isEqualTo(200);
        assertThat(Http.json(models.body()).path("data")).hasSize(2);
        assertThat(onlyReceived().uri()).isEqualTo("/v1/models?limit=2");

        SLUICE.recorder().clear();
        HttpResponse<String> one = Http.send(Http.request(SLUICE.gatewayUrl(), "/v1/models/" + SluiceHarness.MODEL).GET().build());
        assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
        assertThat(Http.json(one.body()).path("id").asText()).isEqualTo(SluiceHarness.MODEL);
        assertThat(onlyReceived().uri()).isEqualTo("/v1/models/" + SluiceHarness.MODEL);
    }

    @Test
    void aGzippedRequestBodyArrivesDecodedAndLabelledAsSuch() throws Exception {
        String body = Http.userMessage("compressed hello", false);
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
            gz.write(body.getBytes(UTF_8));
        }
        int status;
        try (RawHttp raw = RawHttp.connect(SLUICE.gatewayPort())) {
            status = raw.post("/v1/messages", zipped.toByteArray(), "content-encoding", "gzip").readHead();
            raw.readBody();
        }
        assertThat(status).isEqualTo(200);
        ReceivedRequest got = onlyReceived();
        assertThat(got.bodyText()).isEqualTo(body);
        assertThat(got.header("content-encoding")).isNull();
    }

    @Test
    void responsesCarryOurRequestIdAndLatencyButNotTheUpstreamsAccountHeaders() throws Exception {
        HttpResponse<String> plain = Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage("hi", false));
        assertThat(plain.statusCode()).isEqualTo(200);
        BilledUsage billed = Await.until(Duration.ofSeconds(5),
                () -> SLUICE.recorder().billed().isEmpty() ? null : SLUICE.recorder().billed().getFirst(), () -> "a billed record");
        assertOurHeaders(plain.headers().map(), billed.requestId());

        SLUICE.recorder().clear();
        try (RawHttp raw = RawHttp.connect(SLUICE.gatewayPort())) {
            raw.post("/v1/messages", Http.userMessage("hi", true));
            assertThat(raw.readHead()).isEqualTo(200);
            assertThat(raw.header("content-type")).startsWith("text/event-stream");
            assertThat(raw.remainingEvents()).extracting(RawHttp.TimedEvent::name).endsWith("message_stop");
            BilledUsage streamed = Await.until(Duration.ofSeconds(5),
                    () -> SLUICE.recorder().billed().isEmpty() ? null : SLUICE.recorder().billed().getFirst(), () -> "a billed record");
            Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            raw.headers().forEach(h -> headers.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue()));
            assertOurHeaders(headers, streamed.requestId());
        }
    }

    @Test
    void anUpstreamThatRefusesConnectionsIsA502() {
        HttpResponse<String> resp = Http.post(SLUICE.gatewayUrl(), "/v1/messages",
                Http.userMessage("hi", false).replace(SluiceHarness.MODEL, "claude-nowhere-1"));
        assertThat(resp.statusCode()).isEqualTo(502);
        ErrorPathsTest.assertEnvelope(resp, "api_error");
        assertThat(Http.json(resp.body()).path("error").path("message").asText()).contains("nowhere");
    }

    static void assertOurHeaders(Map<String, List<String>> headers, String simRequestId) {
        Map<String, List<String>> h = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        assertThat(h.get("request-id")).hasSize(1);
        String ours = h.get("request-id").getFirst();
        assertThat(ours).matches("req_[0-9A-Za-z]{20}").isNotEqualTo(simRequestId);
        assertThat(h.get("x-sluice-request-id")).containsExactly(ours);
        assertThat(h.get("x-sluice-latency-ms")).singleElement().satisfies(v -> assertThat(Double.parseDouble(v)).isNotNegative());
        assertThat(h.keySet()).noneMatch(k -> k.toLowerCase(Locale.ROOT).startsWith("anthropic-ratelimit-"));
        assertThat(h.keySet()).noneMatch(k -> k.equalsIgnoreCase("anthropic-organization-id"));
    }

    private static ReceivedRequest onlyReceived() {
        List<ReceivedRequest> received = SLUICE.recorder().received();
        assertThat(received).as("requests the simulator received").hasSize(1);
        return received.getFirst();
    }

    private static List<String> values(ReceivedRequest r, String name) {
        return r.headers().stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
    }
}
