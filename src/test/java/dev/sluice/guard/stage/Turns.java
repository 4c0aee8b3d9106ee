package dev.sluice.guard.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Claude-Code-shaped conversations for the guard's end-to-end tests: a system prompt with a cache marker, a Read tool,
 * and turns in which the agent reads a file, so findings land in tool results as they do in real traffic. Also reads
 * back what the gateway recorded (ledger records by request id, audit lines).
 */
final class Turns {
    private final ArrayNode messages = Http.JSON.createArrayNode();
    private boolean stream;

    Turns(String question) {
        messages.add(Http.JSON.createObjectNode().put("role", "user").put("content", question));
    }

    Turns stream(boolean on) {
        this.stream = on;
        return this;
    }

    /** The assistant reads {@code path}; the tool result is {@code content}. */
    Turns read(String path, String content) {
        String id = "toolu_" + messages.size();
        ObjectNode use = Http.JSON.createObjectNode().put("type", "tool_use").put("id", id).put("name", "Read");
        use.putObject("input").put("file_path", path);
        ObjectNode assistant = Http.JSON.createObjectNode().put("role", "assistant");
        assistant.putArray("content").add(use);
        messages.add(assistant);
        ObjectNode result = Http.JSON.createObjectNode().put("type", "tool_result").put("tool_use_id", id).put("content", content);
        ObjectNode user = Http.JSON.createObjectNode().put("role", "user");
        user.putArray("content").add(result);
        messages.add(user);
        return this;
    }

    /** A user message. */
    Turns say(String text) {
        messages.add(Http.JSON.createObjectNode().put("role", "assistant").put("content", "Done."));
        messages.add(Http.JSON.createObjectNode().put("role", "user").put("content", text));
        return this;
    }

    String body() {
        ObjectNode b = Http.JSON.createObjectNode().put("model", SluiceHarness.MODEL).put("max_tokens", 64).put("stream", stream);
        ArrayNode system = b.putArray("system");
        system.addObject().put("type", "text").put("text", "You are Claude Code, a coding agent. Never print credentials.")
                .putObject("cache_control").put("type", "ephemeral");
        ObjectNode read = b.putArray("tools").addObject().put("name", "Read").put("description", "Reads a file from the local filesystem.");
        read.putObject("input_schema").put("type", "object").putObject("properties").putObject("file_path").put("type", "string");
        b.set("messages", messages.deepCopy());
        return b.toString();
    }

    /** Count-tokens body (no max_tokens, no stream). */
    String countBody() {
        ObjectNode b = (ObjectNode) Http.json(body());
        b.remove("max_tokens");
        b.remove("stream");
        return b.toString();
    }

    static HttpResponse<String> send(String gateway, String body, String... headers) {
        return Http.post(gateway, "/v1/messages", body, headers);
    }

    /** The ledger's records of a request (same key), polling until the writer has inserted them. */
    static JsonNode ledger(String gateway, String requestId) {
        return Http.record(gateway, requestId);
    }

    /** The audit line of a request, polling until the writer has written it. */
    static JsonNode auditLine(Path audit, String requestId) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            for (String line : lines(audit)) {
                if (line.contains("\"request_id\":\"" + requestId + "\"")) {
                    return Http.json(line);
                }
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no audit line for " + requestId);
            }
            sleep(50);
        }
    }

    static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : new ArrayList<>();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
