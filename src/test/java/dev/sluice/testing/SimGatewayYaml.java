package dev.sluice.testing;

import dev.sluice.sim.BedrockSim;
import dev.sluice.sim.VertexSim;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The configuration of a gateway whose upstreams are all the simulator, as the provider and fallback tests write it:
 * one event loop, the harness's gateway key, the upstreams the test names (a Claude primary, an OpenAI, Bedrock or
 * Vertex upstream, each one a face of the simulator), optionally health that never benches an upstream, and the
 * routes. For {@link SluiceHarness#start(String)} or {@link SluiceExtension#withConfig(String)}:
 *
 * <pre>{@code
 * SimGatewayYaml.upstreams(SimGatewayYaml.CLAUDE, SimGatewayYaml.bedrock()).neverBench()
 *         .routes("- {match: \"*\", targets: [{upstream: bedrock, priority: 1}, {upstream: claude, priority: 2}]}");
 * }</pre>
 */
public final class SimGatewayYaml {
    /** The Anthropic primary: upstream {@code claude}, the harness's upstream key as alias {@code c}. */
    public static final String CLAUDE = "{name: claude, base-url: \"${SIM_URL}\", keys: [{alias: c, value: \"${UPSTREAM_KEY}\"}]}";

    private final List<String> upstreams;
    private boolean neverBench;

    private SimGatewayYaml(List<String> upstreams) {
        this.upstreams = upstreams;
    }

    /** A gateway on these upstreams, each a YAML flow mapping ({@link #CLAUDE}, {@link #openai}, ...). */
    public static SimGatewayYaml upstreams(String... upstreams) {
        return new SimGatewayYaml(List.of(upstreams));
    }

    /**
     * The shape of the served-model tests: the Claude primary, and for every model an OpenAI fallback (upstream
     * {@code oai}, key {@code openAiKey}) that maps {@link SluiceHarness#MODEL} to {@code gpt-4.1}; a 529 from the
     * primary sends the request to OpenAI.
     */
    public static String claudeThenOpenAi(String openAiKey) {
        return upstreams(CLAUDE, openai(openAiKey, "models: {" + SluiceHarness.MODEL + ": gpt-4.1}")).neverBench()
                .routes("- {match: \"*\", targets: [{upstream: claude, priority: 1}, {upstream: oai, priority: 2}]}");
    }

    /** Upstream {@code oai}: the simulator as an OpenAI server, {@code key} as alias {@code o}, then {@code more} fields. */
    public static String openai(String key, String more) {
        return "{name: oai, provider: openai, base-url: \"${SIM_URL}\", keys: [{alias: o, value: " + key + "}], " + more + "}";
    }

    /** Upstream {@code bedrock}: the simulator as Bedrock in us-east-1, signed (SigV4) with its IAM key as alias {@code iam}. */
    public static String bedrock() {
        return "{name: bedrock, provider: bedrock, base-url: \"${SIM_URL}\", region: us-east-1, auth: sigv4, keys: [{alias: iam, value: \""
                + BedrockSim.ACCESS_KEY_ID + ":" + BedrockSim.SECRET_ACCESS_KEY + "\"}]}";
    }

    /** Upstream {@code vertex}: the simulator as Vertex AI (project sim-project, us-east5), its static token as alias {@code token}. */
    public static String vertex() {
        return "{name: vertex, provider: vertex, base-url: \"${SIM_URL}\", project: sim-project, region: us-east5, keys: [{alias: token, value: \""
                + VertexSim.STATIC_TOKEN + "\"}]}";
    }

    /**
     * Health that never benches an upstream (thresholds out of reach), so each request's own fault decides whether it
     * falls back, not the faults earlier tests of the class provoked.
     */
    public SimGatewayYaml neverBench() {
        neverBench = true;
        return this;
    }

    /** The whole configuration, with these routes: one {@code - {match: ...}} entry a line. */
    public String routes(String routes) {
        return """
                server: {port: 0, event-loops: 1}
                auth: {keys: ["${GATEWAY_KEY}"]}
                upstreams:
                """
                + upstreams.stream().map(u -> "  - " + u + "\n").collect(Collectors.joining())
                + (neverBench ? "routing:\n  health: {consecutive-failures: 100000, min-requests: 100000}\n" : "")
                + "routes:\n" + routes.lines().map(r -> "  " + r + "\n").collect(Collectors.joining());
    }
}
