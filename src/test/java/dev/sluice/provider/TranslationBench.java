package dev.sluice.provider;

import static dev.sluice.testing.CallTimes.report;

import dev.sluice.front.openai.ChatCompletionsRequest;
import dev.sluice.front.openai.OpenAiEncoder;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.provider.bedrock.BedrockAuth;
import dev.sluice.provider.bedrock.BedrockBody;
import dev.sluice.provider.bedrock.BedrockDecoder;
import dev.sluice.provider.bedrock.BedrockRequests;
import dev.sluice.provider.bedrock.BedrockTarget;
import dev.sluice.provider.openai.ChatRequestWriter;
import dev.sluice.provider.openai.OpenAiDecoder;
import dev.sluice.provider.openai.OpenAiRequests;
import dev.sluice.provider.openai.OpenAiTarget;
import dev.sluice.provider.vertex.VertexRequests;
import dev.sluice.provider.vertex.VertexTarget;
import dev.sluice.translate.AnthropicDecoder;
import dev.sluice.translate.CanonicalEvents;
import dev.sluice.wire.SseEvent;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * Cost of the provider translators on Claude Code's real 60 KB request (src/main/resources/demo/claude-code-request.json)
 * and on stream events, single-threaded, after warm-up; percentiles over every timed call.
 *
 * <p>Run: {@code ./mvnw -q -o test-compile && java -cp target/classes:target/test-classes:$(cat cp.txt)
 * dev.sluice.provider.TranslationBench [iterations]} with {@code cp.txt} from
 * {@code ./mvnw -q -o dependency:build-classpath -Dmdep.outputFile=cp.txt}. Results: docs/bench/providers.md.
 */
public final class TranslationBench {
    private static long sink;

    public static void main(String[] args) throws Exception {
        boolean requestsOnly = args.length > 1 && args[1].equals("requests");
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        byte[] request;
        try (InputStream in = TranslationBench.class.getResourceAsStream("/demo/claude-code-request.json")) {
            request = in.readAllBytes();
        }
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14,context-management-2025-06-27")
                .add("anthropic-version", "2023-06-01").add("x-stainless-lang", "js");
        BedrockRequests bedrock = new BedrockRequests(Clock.systemUTC());
        BedrockTarget signed = new BedrockTarget(BedrockTarget.regionalEndpoint("us-east-1"), "us-east-1",
                "us.anthropic.claude-sonnet-4-5-20250929-v1:0", new BedrockAuth.SigV4("AKIAEXAMPLE000000000", "secret", null));
        BedrockTarget keyed = new BedrockTarget(signed.baseUrl(), "us-east-1", signed.modelId(), new BedrockAuth.ApiKey("ABSKkey"));
        VertexTarget vertex = new VertexTarget(VertexTarget.endpoint("us-east5"), "acme", "us-east5", "claude-sonnet-4-5@20250929");
        OpenAiTarget openai = new OpenAiTarget(URI.create("https://api.openai.com"), OpenAiTarget.Flavor.OPENAI, "gpt-4.1", "k", null, null);
        byte[] chatRequest = ChatRequestWriter.write(request, openai, "claude-sonnet-4-5", true);

        System.out.printf("request body %d bytes; chat request %d bytes; %d timed calls each%n", request.length, chatRequest.length, n);
        sink += report("reference: top-level scan only", n, () -> dev.sluice.wire.body.TopLevelFields.scan(request, request.length)
                .fields().size());
        sink += report("reference: Jackson tree parse only", n, () -> {
            try {
                return dev.sluice.wire.Json.MAPPER.readTree(request).size();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        sink += report("bedrock body edits (scan + edits + bytes)", n, () -> BedrockBody.invokeBody(RequestBody.of(request),
                List.of("claude-code-20250219")).bytes().length());
        sink += report("bedrock request, API key", n, () -> bedrock.build(keyed, Operation.MESSAGES, RequestBody.of(request), true, headers)
                .body().length());
        sink += report("bedrock request, SigV4 signed", n, () -> bedrock.build(signed, Operation.MESSAGES, RequestBody.of(request), true, headers)
                .body().length());
        sink += report("vertex request", n, () -> VertexRequests.build(vertex, Operation.MESSAGES, RequestBody.of(request), true, headers, "tok")
                .body().length());
        sink += report("openai upstream request (anthropic -> chat)", n, () -> OpenAiRequests.build(openai, Operation.MESSAGES,
                RequestBody.of(request), true).body().length());
        sink += report("openai front door request (chat -> anthropic)", n, () -> ChatCompletionsRequest.translate(chatRequest).canonical().length);
        // The front door to an OpenAI upstream: chat -> anthropic (above) and then this instead of anthropic -> chat.
        sink += report("openai front door to openai, direct (chat edits)", n, () -> OpenAiRequests.directChat(openai,
                RequestBody.of(chatRequest), null, 8192, true).body().length());
        byte[] conversation = conversation(request, 40);
        sink += report("openai upstream, " + conversation.length / 1000 + " KB conversation", n / 4, () -> OpenAiRequests.build(openai,
                Operation.MESSAGES, RequestBody.of(conversation), true).body().length());

        if (requestsOnly) {
            return;
        }
        List<String> events = streamEvents(200);
        byte[] sse = sse(events);
        byte[] frames = bedrockFrames(events);
        byte[] chunks = openAiChunks(events.size());
        int rounds = Math.max(200, n / 50);
        perEvent("anthropic pass-through decode (baseline)", rounds, events.size(), () -> decodeAll(new AnthropicDecoder(), sse));
        perEvent("bedrock event-stream decode", rounds, events.size(), () -> decodeAll(new BedrockDecoder(Operation.MESSAGES), frames));
        perEvent("openai chunk decode", rounds, events.size(), () -> decodeAll(new OpenAiDecoder(), chunks));
        List<SseEvent> canonical = new ArrayList<>();
        new AnthropicDecoder().chunk(Buffer.buffer(sse), canonical);
        perEvent("openai front door encode", rounds, canonical.size(), () -> {
            OpenAiEncoder enc = new OpenAiEncoder("m", true, 1);
            long bytes = 0;
            for (SseEvent e : canonical) {
                bytes += enc.events(List.of(e)).length();
            }
            return bytes;
        });
        System.out.println("sink " + sink);
    }


    private static void perEvent(String name, int rounds, int events, LongSupplier op) {
        for (int i = 0; i < rounds; i++) {
            sink += op.getAsLong();
        }
        long[] t = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            sink += op.getAsLong();
            t[i] = System.nanoTime() - t0;
        }
        Arrays.sort(t);
        System.out.printf("%-48s p50 %7.2f us/event  p99 %7.2f us/event%n", name, t[rounds / 2] / 1e3 / events,
                t[(int) (rounds * 0.99)] / 1e3 / events);
    }

    private static long decodeAll(dev.sluice.translate.UpstreamDecoder d, byte[] bytes) {
        List<SseEvent> out = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += 1400) { // network-sized reads
            d.chunk(Buffer.buffer(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 1400))), out);
        }
        d.end(out);
        return out.size();
    }

    /**
     * Claude Code's request with {@code turns} more tool rounds in its messages (an assistant text and tool call, a
     * 3 KB tool result with escapes and non-ASCII, a user text): a long session, where messages are most of the bytes.
     */
    static byte[] conversation(byte[] request, int turns) {
        String json = new String(request, StandardCharsets.UTF_8);
        String result = ("line \\\"quoted\\\" \\u00e9 日本 code {\\n  x: 1\\n}\\n").repeat(60);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < turns; i++) {
            sb.append(",{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"Reading file ").append(i)
                    .append(".\"},{\"type\":\"tool_use\",\"id\":\"toolu_").append(i)
                    .append("\",\"name\":\"Read\",\"input\":{\"file_path\":\"/src/f").append(i).append(".ts\"}}]}")
                    .append(",{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_").append(i)
                    .append("\",\"content\":\"").append(result).append("\"},{\"type\":\"text\",\"text\":\"next\"}]}");
        }
        // Appended just before the messages array's closing bracket (the request is ASCII before it, so byte = char offset).
        int close = dev.sluice.wire.body.TopLevelFields.scan(request, request.length).find("messages").valueEnd() - 1;
        return (json.substring(0, close) + sb + json.substring(close)).getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> streamEvents(int deltas) {
        List<String> e = new ArrayList<>();
        e.add("{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\","
                + "\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,\"cache_read_input_tokens\":15000,\"output_tokens\":1}}}");
        e.add("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
        for (int i = 0; i < deltas; i++) {
            e.add("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" word" + i + "\"}}");
        }
        e.add("{\"type\":\"content_block_stop\",\"index\":0}");
        e.add("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + deltas + "}}");
        e.add("{\"type\":\"message_stop\"}");
        return e;
    }

    private static byte[] sse(List<String> events) {
        StringBuilder sb = new StringBuilder();
        for (String json : events) {
            sb.append("event: ").append(json, 9, json.indexOf('"', 9)).append("\ndata: ").append(json).append("\n\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bedrockFrames(List<String> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String json : events) {
            Map<String, HeaderValue> h = new LinkedHashMap<>();
            h.put(":event-type", HeaderValue.fromString("chunk"));
            h.put(":content-type", HeaderValue.fromString("application/json"));
            h.put(":message-type", HeaderValue.fromString("event"));
            new Message(h, ("{\"bytes\":\"" + Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8))
                    + "\",\"p\":\"abcdefgh\"}").getBytes(StandardCharsets.UTF_8)).encode(out);
        }
        return out.toByteArray();
    }

    private static byte[] openAiChunks(int count) {
        StringBuilder sb = new StringBuilder();
        String head = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4.1\",\"choices\":[{\"index\":0,\"delta\":";
        for (int i = 0; i < count - 3; i++) {
            sb.append(head).append("{\"content\":\" word").append(i).append("\"},\"finish_reason\":null}]}\n\n");
        }
        sb.append(head).append("{},\"finish_reason\":\"stop\"}]}\n\n");
        sb.append("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4.1\",\"choices\":[],"
                + "\"usage\":{\"prompt_tokens\":15012,\"completion_tokens\":200,\"prompt_tokens_details\":{\"cached_tokens\":15000}}}\n\n");
        sb.append("data: [DONE]\n\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
