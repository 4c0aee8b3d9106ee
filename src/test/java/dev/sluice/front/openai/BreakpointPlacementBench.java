package dev.sluice.front.openai;

import static dev.sluice.testing.CallTimes.report;

import dev.sluice.front.anthropic.BodyInspector;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.pipeline.RequestFacts;
import dev.sluice.provider.openai.ChatRequestWriter;
import dev.sluice.provider.openai.OpenAiTarget;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What automatic prompt-cache breakpoints add to an OpenAI-door request on its way to a Claude upstream: the placement
 * walk ({@link BreakpointPlacement}) over the translated body, and the same plus the marker edits applied (the body is
 * then sent as one new array instead of the translated one as it is). Workloads: Claude Code's real 60 KB request
 * (src/main/resources/demo/claude-code-request.json) as an OpenAI client would send it, and the same with 40 more tool
 * rounds (a long session, ~190 KB). Single-threaded, after warm-up; percentiles over every timed call; the translation
 * itself is timed alongside for scale.
 *
 * <p>Run: {@code ./mvnw -q -o test-compile && java -cp target/classes:target/test-classes:$(cat cp.txt)
 * dev.sluice.front.openai.BreakpointPlacementBench [iterations]} with {@code cp.txt} from
 * {@code ./mvnw -q -o dependency:build-classpath -Dmdep.outputFile=cp.txt}. Results: docs/bench/providers.md.
 */
public final class BreakpointPlacementBench {
    private static final byte[] MARKER = ",\"cache_control\":{\"type\":\"ephemeral\"}".getBytes(StandardCharsets.US_ASCII);
    private static long sink;

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        byte[] anthropic;
        try (InputStream in = BreakpointPlacementBench.class.getResourceAsStream("/demo/claude-code-request.json")) {
            anthropic = in.readAllBytes();
        }
        OpenAiTarget target = new OpenAiTarget(URI.create("https://api.openai.com"), OpenAiTarget.Flavor.OPENAI, "gpt-4.1", "k", null, null);
        byte[] chat = ChatRequestWriter.write(anthropic, target, "claude-sonnet-4-5", true);
        run("60 KB (Claude Code's request)", chat, n);
        run("long session (+40 tool rounds)", longSession(chat, 40), n / 4);
        System.out.println("sink " + sink);
    }

    private static void run(String name, byte[] chat, int n) {
        byte[] canonical = ChatCompletionsRequest.translate(chat).canonical();
        RequestFacts facts = BodyInspector.inspect(Operation.MESSAGES, RequestBody.of(canonical));
        int[] places = BreakpointPlacement.places(canonical, facts, 1024, 2);
        System.out.printf("%s: chat body %d bytes, canonical %d bytes, %d breakpoints%n", name, chat.length, canonical.length, places.length);
        sink += report("  translation (chat -> anthropic), for scale", n, () -> ChatCompletionsRequest.translate(chat).canonical().length);
        sink += report("  placement (marker scan + array ends)", n, () -> BreakpointPlacement.places(canonical, facts, 1024, 2).length);
        sink += report("  placement + marker edits applied (one copy)", n, () -> {
            RequestBody body = RequestBody.of(canonical);
            for (int at : BreakpointPlacement.places(canonical, facts, 1024, 2)) {
                body.insert(at, MARKER, "bench");
            }
            return body.bytes().length();
        });
    }

    /** The chat request with {@code rounds} more tool rounds: an assistant call, a 3 KB tool result with escapes, a user line. */
    private static byte[] longSession(byte[] chat, int rounds) {
        String json = new String(chat, StandardCharsets.UTF_8);
        String result = ("line \\\"quoted\\\" \\u00e9 日本 code {\\n  x: 1\\n}\\n").repeat(60);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rounds; i++) {
            sb.append(",{\"role\":\"assistant\",\"content\":\"Reading file ").append(i).append(".\",\"tool_calls\":[{\"id\":\"call_")
                    .append(i).append("\",\"type\":\"function\",\"function\":{\"name\":\"Read\",\"arguments\":\"{\\\"file_path\\\":\\\"/src/f")
                    .append(i).append(".ts\\\"}\"}}]},{\"role\":\"tool\",\"tool_call_id\":\"call_").append(i).append("\",\"content\":\"")
                    .append(result).append("\"},{\"role\":\"user\",\"content\":\"next\"}");
        }
        int close = dev.sluice.wire.body.TopLevelFields.scan(chat, chat.length).find("messages").valueEnd() - 1;
        byte[] head = Arrays.copyOfRange(chat, 0, close);
        byte[] tail = Arrays.copyOfRange(chat, close, chat.length);
        byte[] mid = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(head, head.length + mid.length + tail.length);
        System.arraycopy(mid, 0, out, head.length, mid.length);
        System.arraycopy(tail, 0, out, head.length + mid.length, tail.length);
        return out;
    }

}
