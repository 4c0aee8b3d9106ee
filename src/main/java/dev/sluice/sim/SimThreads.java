package dev.sluice.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-held conversations (beta {@code message-threads-2026-08-12}), as the real API keeps them: a request with
 * {@code thread: {"type":"create"}} has its conversation and answer held under the answer's {@code id}; one with
 * {@code {"type":"continue","previous_message_id":ID}} sends only the new turn, which the simulator puts after what it
 * holds before answering. Held per upstream key (an account): another key's continue gets {@code thread_not_found}, a
 * second continue of one answer {@code thread_already_continued}. Bounded: at {@link #MAX_THREADS} it forgets them all.
 */
final class SimThreads {
    static final int MAX_THREADS = 10_000;
    static final String BETA = "message-threads-2026-08-12";

    /** A held conversation: every message so far with the answer last, and the create-only fields. */
    private record Held(ArrayNode messages, JsonNode system, JsonNode tools, boolean continued) {
    }

    private final ConcurrentHashMap<String, Held> held = new ConcurrentHashMap<>();

    /**
     * A request as the model sees it.
     *
     * @param body     the body to answer: a continue's with the held conversation before its messages
     * @param threaded whether its answer is held for a later continue
     */
    record Turn(byte[] body, boolean threaded) {
    }

    /** The turn {@code body} makes for {@code upstreamKey}; a body with no {@code thread} is the turn unchanged. */
    Turn open(String upstreamKey, byte[] body, String betas) {
        JsonNode root;
        try {
            root = SimJson.MAPPER.readTree(body);
        } catch (IOException e) {
            return new Turn(body, false); // the request's own parse names the error
        }
        JsonNode thread = root == null ? null : root.get("thread");
        if (thread == null || thread.isNull()) {
            return new Turn(body, false);
        }
        if (betas == null || !betas.contains(BETA)) {
            throw ApiException.invalidRequest("thread: requires the anthropic-beta " + BETA);
        }
        return switch (thread.path("type").asText("")) {
            case "create" -> new Turn(body, true);
            case "continue" -> new Turn(continued(upstreamKey, (ObjectNode) root, thread.path("previous_message_id").asText("")), true);
            default -> throw ApiException.invalidRequest("thread.type: " + thread.get("type") + " (expected: \"create\" or \"continue\")");
        };
    }

    private byte[] continued(String upstreamKey, ObjectNode root, String previous) {
        Held[] found = {null};
        boolean[] again = {false};
        held.computeIfPresent(key(upstreamKey, previous), (k, h) -> {
            if (h.continued()) {
                again[0] = true;
                return h;
            }
            found[0] = h;
            return new Held(h.messages(), h.system(), h.tools(), true);
        });
        if (again[0]) {
            throw new ApiException(400, "invalid_request_error", "thread: " + previous + " was already continued; continue"
                    + " from the thread's newest message", "thread_already_continued");
        }
        if (found[0] == null) {
            throw new ApiException(404, "not_found_error", "thread: no thread state for previous_message_id " + previous,
                    "thread_not_found");
        }
        Held h = found[0];
        ArrayNode messages = h.messages().deepCopy();
        JsonNode added = root.get("messages");
        if (added != null && added.isArray()) {
            messages.addAll((ArrayNode) added);
        }
        root.set("messages", messages);
        put(root, "system", h.system());
        put(root, "tools", h.tools());
        return SimJson.bytes(root);
    }

    private static void put(ObjectNode root, String field, JsonNode value) {
        if (value == null) {
            root.remove(field);
        } else {
            root.set(field, value);
        }
    }

    /** Holds the conversation of a threaded {@code turn} and its answer under {@code messageId}. */
    void answered(String upstreamKey, Turn turn, String messageId, ReplyPlan plan) {
        JsonNode root;
        try {
            root = SimJson.MAPPER.readTree(turn.body());
        } catch (IOException e) {
            return;
        }
        ArrayNode messages = root.path("messages") instanceof ArrayNode a ? a.deepCopy() : SimJson.array();
        ObjectNode answer = messages.addObject().put("role", "assistant");
        ArrayNode content = answer.putArray("content");
        for (ReplyBlock block : plan.blocks()) {
            content.add(MessageJson.block(block));
        }
        if (held.size() >= MAX_THREADS) {
            held.clear();
        }
        held.put(key(upstreamKey, messageId), new Held(messages, root.get("system"), root.get("tools"), false));
    }

    private static String key(String upstreamKey, String messageId) {
        return upstreamKey + '\u0000' + messageId;
    }
}
