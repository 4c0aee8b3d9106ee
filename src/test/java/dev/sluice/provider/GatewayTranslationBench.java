package dev.sluice.provider;

import dev.sluice.provider.openai.ChatRequestWriter;
import dev.sluice.provider.openai.OpenAiTarget;
import dev.sluice.sim.BedrockSim;
import dev.sluice.sim.VertexSim;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each translated path adds beyond the Anthropic pass-through, measured in the running gateway: Claude Code's
 * real 60 KB request (non-streamed, one output token) through every provider adapter and the OpenAI front door to
 * the simulator, paths interleaved round-robin so they share the machine's noise. The number is the gateway's own
 * {@code x-sluice-latency-ms} (its time before the response head, upstream waits excluded): request translation,
 * signing, response translation, and everything the pass-through also does. Each path is first warmed up with
 * {@code -Dwarmup=3000} rounds (the default).
 *
 * <p>Run: {@code ./mvnw -q -o test-compile && java -Xmx1g --add-modules jdk.incubator.vector
 * -cp target/classes:target/test-classes:$(cat cp.txt) dev.sluice.provider.GatewayTranslationBench [requests per path] [paths]}
 * with {@code cp.txt} from {@code ./mvnw -q -o dependency:build-classpath -Dmdep.outputFile=cp.txt}.
 * Results: docs/bench/providers.md.
 */
public final class GatewayTranslationBench {
    private static final String CONFIG = """
            server: {port: 0, event-loops: 1}
            auth: {keys: ["${GATEWAY_KEY}"]}
            telemetry: {audit-log: "off"}
            upstreams:
              - {name: anthropic, base-url: "${SIM_URL}", keys: [{alias: a, value: "${UPSTREAM_KEY}"}]}
              - {name: bedrock-key, provider: bedrock, base-url: "${SIM_URL}", region: us-east-1, keys: [{alias: k, value: ABSKbench}]}
              - {name: bedrock-iam, provider: bedrock, base-url: "${SIM_URL}", region: us-east-1, auth: sigv4,
                 keys: [{alias: iam, value: "%s:%s"}]}
              - {name: vertex, provider: vertex, base-url: "${SIM_URL}", project: bench, region: us-east5, keys: [{alias: t, value: "%s"}]}
              - {name: openai, provider: openai, base-url: "${SIM_URL}", keys: [{alias: o, value: sk-bench}]}
            routes:
              - {match: "bedrock-key", upstream: bedrock-key, model: claude-sonnet-4-5-20250929}
              - {match: "bedrock-iam", upstream: bedrock-iam, model: claude-sonnet-4-5-20250929}
              - {match: "vertex", upstream: vertex, model: claude-sonnet-4-5-20250929}
              - {match: "gpt-*", upstream: openai}
              - {match: "*", upstream: anthropic}
            """.formatted(BedrockSim.ACCESS_KEY_ID, BedrockSim.SECRET_ACCESS_KEY, VertexSim.STATIC_TOKEN);

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        byte[] request;
        try (InputStream in = GatewayTranslationBench.class.getResourceAsStream("/demo/claude-code-request.json")) {
            request = in.readAllBytes();
        }
        String messages = new String(request, StandardCharsets.UTF_8);
        String chat = new String(ChatRequestWriter.write(request, new OpenAiTarget(URI.create("http://x"), OpenAiTarget.Flavor.OPENAI,
                "claude-sonnet-4-5-20250929", "k", null, null), "claude-sonnet-4-5-20250929", false), StandardCharsets.UTF_8);
        Map<String, String[]> paths = new LinkedHashMap<>();
        paths.put("pass-through (anthropic)", new String[] {"/v1/messages", messages});
        paths.put("bedrock, API key", new String[] {"/v1/messages", withModel(messages, "bedrock-key")});
        paths.put("bedrock, SigV4", new String[] {"/v1/messages", withModel(messages, "bedrock-iam")});
        paths.put("vertex", new String[] {"/v1/messages", withModel(messages, "vertex")});
        paths.put("openai upstream", new String[] {"/v1/messages", withModel(messages, "gpt-4.1")});
        paths.put("front door -> anthropic", new String[] {"/v1/chat/completions", chat});
        paths.put("front door -> openai", new String[] {"/v1/chat/completions", withModel(chat, "gpt-4.1")});
        if (args.length > 1) { // a comma list of path-name prefixes to keep (the pass-through always stays)
            List<String> keep = List.of(args[1].split(","));
            paths.keySet().removeIf(k -> !k.startsWith("pass-through") && keep.stream().noneMatch(k::startsWith));
        }
        try (SluiceHarness h = SluiceHarness.start(CONFIG)) {
            h.sim().standingDirectives(Map.of("x-sim-output-tokens", "1"));
            Map<String, double[]> added = new LinkedHashMap<>();
            paths.keySet().forEach(k -> added.put(k, new double[n]));
            // Warm-up long enough for C2 to compile the translators and the signer, as in a gateway that has run a while
            // (with a few hundred calls each, SigV4 signing still ran in C1 code at several times its steady cost).
            int warmUp = Integer.getInteger("warmup", 3000);
            for (int round = -warmUp; round < n; round++) {
                for (Map.Entry<String, String[]> p : paths.entrySet()) {
                    double ms = send(h, p.getValue()[0], p.getValue()[1]);
                    if (round >= 0) {
                        added.get(p.getKey())[round] = ms;
                    }
                }
            }
            System.out.printf("60 KB request (%d bytes as Messages, %d as chat), %d requests per path, x-sluice-latency-ms:%n",
                    request.length, chat.length(), n);
            double[] base = added.get("pass-through (anthropic)");
            for (Map.Entry<String, double[]> e : added.entrySet()) {
                double[] v = e.getValue().clone();
                Arrays.sort(v);
                double[] b = base.clone();
                Arrays.sort(b);
                System.out.printf("  %-26s p50 %.3f  p90 %.3f  p99 %.3f ms   beyond pass-through: p50 %+.3f  p99 %+.3f ms%n", e.getKey(),
                        pct(v, 50), pct(v, 90), pct(v, 99), pct(v, 50) - pct(b, 50), pct(v, 99) - pct(b, 99));
            }
        }
        System.exit(0);
    }

    private static String withModel(String json, String model) {
        return json.replaceFirst("\"model\"\\s*:\\s*\"[^\"]*\"", "\"model\":\"" + model + "\"");
    }

    private static double send(SluiceHarness h, String path, String body) {
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(h.gatewayUrl() + path))
                .header("x-api-key", SluiceHarness.GATEWAY_KEY).header("anthropic-version", "2023-06-01")
                .header("anthropic-beta", "claude-code-20250219").header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        }
        return Double.parseDouble(r.headers().firstValue("x-sluice-latency-ms").orElseThrow());
    }

    private static double pct(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)];
    }

    private GatewayTranslationBench() {
    }
}
