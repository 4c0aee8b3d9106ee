package dev.sluice.day;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The two naive caches the issue compares against, estimated on the direct run's trace: walk the requests in
 * order, and for each one either hit a cache keyed by {@code key} (free; wrong when the stored answer's content
 * differs from the answer the upstream gave this exact request) or pay what the direct run paid for it.
 *
 * <p>First-order only: a wrong hit would change the conversation that follows, and a skipped call would change
 * which prompt-cache prefixes later calls read. Both are ignored; the numbers show where the savings and the
 * wrong answers come from, not what such a gateway would bill to the cent.
 */
final class Ablations {

    /** One estimate. */
    record Estimate(String name, int requests, int hits, int wrong, long nanoUsd) {
    }

    /** A priced request of a run; a gateway hit costs nothing. */
    record Priced(Tap.Exchange exchange, long nanoUsd, dev.sluice.wire.Usage usage) {
    }

    /** One billed upstream call. */
    record Call(dev.sluice.wire.Usage usage, long nanoUsd) {
        static final Call NONE = new Call(dev.sluice.wire.Usage.ZERO, 0);
    }

    private Ablations() {
    }

    static Estimate estimate(String name, List<Priced> trace, Function<byte[], String> key) {
        Map<String, String> stored = new HashMap<>();
        int hits = 0;
        int wrong = 0;
        long nano = 0;
        for (Priced p : trace) {
            String k = key.apply(p.exchange().request());
            String answer = AnswerContent.of(p.exchange().response());
            String cached = stored.get(k);
            if (cached == null) {
                nano += p.nanoUsd();
                stored.put(k, answer);
            } else {
                hits++;
                if (!cached.equals(answer)) {
                    wrong++;
                }
            }
        }
        return new Estimate(name, trace.size(), hits, wrong, nano);
    }

    /** The body minus {@code metadata.user_id}, as sent otherwise (byte order of fields kept). */
    static String exactKey(byte[] body) {
        try {
            ObjectNode root = (ObjectNode) Json.MAPPER.readTree(body);
            if (root.get("metadata") instanceof ObjectNode metadata) {
                metadata.remove("user_id");
            }
            return root.toString();
        } catch (IOException | ClassCastException e) {
            return new String(body, UTF_8);
        }
    }

    /**
     * The model and the newest user message's own text: its last text block that is not a reminder, or the text
     * of its tool results.
     */
    static String lastUserTextKey(byte[] body) {
        try {
            JsonNode root = Json.MAPPER.readTree(body);
            JsonNode messages = root.path("messages");
            for (int i = messages.size() - 1; i >= 0; i--) {
                JsonNode m = messages.get(i);
                if (!m.path("role").asText().equals("user")) {
                    continue;
                }
                String text = "";
                StringBuilder results = new StringBuilder();
                JsonNode content = m.path("content");
                if (content.isTextual()) {
                    text = content.asText();
                }
                for (JsonNode b : content) {
                    String t = b.path("text").asText("");
                    if (b.path("type").asText().equals("text") && !t.startsWith("<system-reminder>")) {
                        text = t;
                    }
                    if (b.path("type").asText().equals("tool_result")) {
                        results.append(b.path("content").isTextual() ? b.path("content").asText() : b.path("content").toString());
                    }
                }
                return root.path("model").asText() + "\u0000" + (results.isEmpty() ? text : results.toString());
            }
            return root.path("model").asText();
        } catch (IOException e) {
            return new String(body, UTF_8);
        }
    }
}
