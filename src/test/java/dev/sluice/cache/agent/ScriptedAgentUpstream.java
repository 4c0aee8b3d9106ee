package dev.sluice.cache.agent;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.wire.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scripted "model" for recording real Claude Code traffic: it plays a fixed three-turn agent loop
 * against the workspace the CLI says it runs in, the way a real model does, so the CLI runs real
 * tools on real files and sends the follow-up turns a real session sends.
 *
 * <ol>
 *   <li>turn 1: a thinking block, a short text and a {@code Bash} grep over the absolute workspace path;
 *   <li>turn 2: a {@code Read} of {@code <workspace>/calc.py};
 *   <li>turn 3: a text answer naming both absolute paths.
 * </ol>
 * Like the real API, every answer has fresh random {@code msg_}/{@code toolu_} ids and thinking
 * signatures, and streams text and tool input in small pieces that cut paths in the middle (the case a
 * cache that rewrites paths must get right). Every request is recorded with its headers and bytes.
 */
public final class ScriptedAgentUpstream implements AutoCloseable {
    private static final Pattern WORKSPACE = Pattern.compile("Primary working directory: (\\S+)");
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    /** One request as received. */
    public record Received(String uri, List<Map.Entry<String, String>> headers, byte[] body) {
        public String bodyText() {
            return new String(body, UTF_8);
        }
    }

    private final Vertx vertx;
    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger answered = new AtomicInteger();

    private ScriptedAgentUpstream(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    public static ScriptedAgentUpstream start() {
        Vertx vertx = Vertx.vertx();
        ScriptedAgentUpstream[] self = new ScriptedAgentUpstream[1];
        HttpServer server = vertx.createHttpServer().requestHandler(r -> self[0].handle(r));
        self[0] = new ScriptedAgentUpstream(vertx, server);
        server.listen(0, "127.0.0.1").await();
        return self[0];
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    public int port() {
        return server.actualPort();
    }

    /** Messages requests received, oldest first. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Messages answers produced (each one an upstream "call" that would have cost money). */
    public int answered() {
        return answered.get();
    }

    public void clear() {
        received.clear();
        answered.set(0);
    }

    private void handle(HttpServerRequest request) {
        if (request.method().name().equals("HEAD")) {
            request.response().end();
            return;
        }
        request.body().onSuccess(body -> {
            String path = request.path();
            if (path.equals("/v1/messages/count_tokens")) {
                json(request, 200, "{\"input_tokens\":" + Math.max(1, body.length() / 4) + "}");
            } else if (path.equals("/v1/messages")) {
                List<Map.Entry<String, String>> headers = new ArrayList<>();
                request.headers().forEach(h -> headers.add(Map.entry(h.getKey(), h.getValue())));
                received.add(new Received(request.uri(), headers, body.getBytes()));
                answer(request, body.getBytes());
            } else {
                json(request, 404, "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"Not found\"}}");
            }
        });
    }

    private void answer(HttpServerRequest request, byte[] body) {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            json(request, 400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"bad json\"}}");
            return;
        }
        answered.incrementAndGet();
        List<Block> blocks = plan(json);
        String stop = blocks.getLast() instanceof Block.ToolUse ? "tool_use" : "end_turn";
        String model = json.path("model").asText();
        int input = body.length / 4;
        if (json.path("stream").asBoolean(false)) {
            request.response().putHeader("content-type", "text/event-stream").setChunked(true);
            for (String event : ScriptedEvents.stream(id("msg_01", 22), model, blocks, stop, input)) {
                request.response().write(Buffer.buffer(event));
            }
            request.response().end();
        } else {
            json(request, 200, ScriptedEvents.message(id("msg_01", 22), model, blocks, stop, input));
        }
    }

    /** The script: which turn this is follows from how many assistant turns the conversation already has. */
    static List<Block> plan(JsonNode request) {
        String workspace = workspace(request);
        if (workspace == null) {
            return List.of(new Block.Text("I cannot tell which workspace this is."));
        }
        int turn = 0;
        for (JsonNode m : request.path("messages")) {
            if (m.path("role").asText().equals("assistant")) {
                turn++;
            }
        }
        return switch (turn) {
            case 0 -> List.of(new Block.Thinking(id("Eu", 86)),
                    new Block.Text("Let me find the functions in the repository."),
                    new Block.ToolUse(id("toolu_01", 22), "Bash", command("grep -rn \"def \" " + workspace)));
            case 1 -> List.of(new Block.ToolUse(id("toolu_01", 22), "Read", filePath(workspace + "/calc.py")));
            default -> List.of(new Block.Text("`" + workspace + "/calc.py` defines `add(a, b)`, which returns the sum"
                    + " of its two arguments (line 2 of " + workspace + "/calc.py). The README at " + workspace
                    + "/README.md calls the project a tiny calculator."));
        };
    }

    private static ObjectNode command(String command) {
        return Json.MAPPER.createObjectNode().put("command", command).put("description", "Find function definitions");
    }

    private static ObjectNode filePath(String path) {
        return Json.MAPPER.createObjectNode().put("file_path", path);
    }

    private static String workspace(JsonNode request) {
        for (JsonNode m : request.path("messages")) {
            JsonNode content = m.path("content");
            if (content.isTextual()) {
                String ws = find(content.asText());
                if (ws != null) {
                    return ws;
                }
            }
            for (JsonNode block : content) {
                String ws = find(block.path("text").asText(""));
                if (ws != null) {
                    return ws;
                }
            }
        }
        return null;
    }

    private static String find(String text) {
        Matcher m = WORKSPACE.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    static String id(String prefix, int length) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder id = new StringBuilder(prefix);
        for (int i = 0; i < length; i++) {
            id.append(BASE62[random.nextInt(BASE62.length)]);
        }
        return id.toString();
    }

    private static void json(HttpServerRequest request, int status, String body) {
        request.response().setStatusCode(status).putHeader("content-type", "application/json").end(body);
    }

    @Override
    public void close() {
        server.close().await();
        vertx.close().await();
    }

    /** What one turn says. */
    public sealed interface Block {
        record Text(String text) implements Block {
        }

        record Thinking(String signature) implements Block {
        }

        record ToolUse(String id, String name, ObjectNode input) implements Block {
        }
    }

    /** For callers that want the upstream on their own Vert.x future chain. */
    public Future<Void> closeAsync() {
        return server.close().compose(v -> vertx.close());
    }
}
