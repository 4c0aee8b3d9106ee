package dev.sluice.front.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.wire.Json;
import dev.sluice.wire.body.TopLevelFields;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The request's settings a Responses answer repeats ({@code instructions}, {@code tools}, {@code tool_choice},
 * {@code temperature}...), as the client wrote them: the response object carries them, and SDKs read some of them
 * back. Read again from the client's bytes where the response needs them (the canonical body has other names for
 * them), with one top-level scan; the front door checked every value already. Whether the request asked for its answer
 * to be stored ({@code store}, true when absent) is read here too; the encoder says {@code store: true} when it keeps
 * the answer's items ({@link ItemStore}). {@code previous_response_id} is always null: no response is kept whole.
 */
final class ResponseEcho {
    /** Each echoed field and its value when the request leaves it out (OpenAI's defaults). */
    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("instructions", "null");
        DEFAULTS.put("max_output_tokens", "null");
        DEFAULTS.put("metadata", "{}");
        DEFAULTS.put("parallel_tool_calls", "true");
        DEFAULTS.put("reasoning", "{\"effort\":null,\"summary\":null}");
        DEFAULTS.put("temperature", "1.0");
        DEFAULTS.put("text", "{\"format\":{\"type\":\"text\"},\"verbosity\":\"medium\"}");
        DEFAULTS.put("tool_choice", "\"auto\"");
        DEFAULTS.put("tools", "[]");
        DEFAULTS.put("top_p", "1.0");
        DEFAULTS.put("user", "null");
    }

    /** For answers with no request behind them (a tool rendering errors): the defaults. */
    static final ResponseEcho NONE = new ResponseEcho(renderDefaults(), Namespaces.NONE);

    private final String fields;
    private final Namespaces namespaces;
    private final boolean reasoningSummary;
    private final boolean encryptedReasoning;
    private final boolean storeAsked;
    private final String caller;

    private ResponseEcho(String fields, Namespaces namespaces) {
        this(fields, namespaces, false, false, false, null);
    }

    private ResponseEcho(String fields, Namespaces namespaces, boolean reasoningSummary, boolean encryptedReasoning,
                         boolean storeAsked, String caller) {
        this.fields = fields;
        this.namespaces = namespaces;
        this.reasoningSummary = reasoningSummary;
        this.encryptedReasoning = encryptedReasoning;
        this.storeAsked = storeAsked;
        this.caller = caller;
    }

    /** This echo for the answer to {@code owner} ({@link ItemStore#owner}), whom its reasoning items are sealed for. */
    ResponseEcho forCaller(String owner) {
        return new ResponseEcho(fields, namespaces, reasoningSummary, encryptedReasoning, storeAsked, owner);
    }

    /** The caller the answer's reasoning items are sealed for ({@link ReasoningSeal}), or null. */
    String caller() {
        return caller;
    }

    /** The echo of the client's body; the defaults when it cannot be read (it was read once already: belt and braces). */
    static ResponseEcho of(byte[] body, int length) {
        if (body == null) {
            return NONE;
        }
        try {
            TopLevelFields top = TopLevelFields.scan(body, length);
            StringBuilder sb = new StringBuilder();
            Namespaces namespaces = Namespaces.NONE;
            boolean summary = false;
            for (Map.Entry<String, String> d : DEFAULTS.entrySet()) {
                TopLevelFields.Field f = top.find(d.getKey());
                JsonNode tree = f == null || body[f.valueStart()] == 'n' ? null
                        : Json.MAPPER.readTree(body, f.valueStart(), f.valueEnd() - f.valueStart());
                // Re-written compact, never copied: a client's pretty-printed value would put line breaks in an SSE data line.
                sb.append(",\"").append(d.getKey()).append("\":").append(tree == null ? d.getValue() : tree.toString());
                if (d.getKey().equals("tools")) {
                    namespaces = Namespaces.of(tree);
                } else if (d.getKey().equals("reasoning") && tree != null) {
                    summary = isSet(tree.get("summary")) || isSet(tree.get("generate_summary"));
                }
            }
            TopLevelFields.Field include = top.find("include");
            boolean encrypted = include != null && body[include.valueStart()] == '['
                    && Json.MAPPER.readTree(body, include.valueStart(), include.valueEnd() - include.valueStart())
                    .toString().contains("\"reasoning.encrypted_content\"");
            TopLevelFields.Field store = top.find("store"); // a boolean or null, the door checked: OpenAI's default is true
            boolean storeAsked = store == null || body[store.valueStart()] != 'f';
            return new ResponseEcho(sb.toString(), namespaces, summary, encrypted, storeAsked, null);
        } catch (IOException | RuntimeException e) {
            return NONE;
        }
    }

    private static String renderDefaults() {
        StringBuilder sb = new StringBuilder();
        DEFAULTS.forEach((k, v) -> sb.append(",\"").append(k).append("\":").append(v));
        return sb.toString();
    }

    private static boolean isSet(JsonNode v) {
        return v != null && v.isTextual() && !v.asText().isEmpty();
    }

    /** The request set {@code reasoning.summary} (or the older {@code generate_summary}): reasoning items carry the thinking text. */
    boolean reasoningSummary() {
        return reasoningSummary;
    }

    /** The request's {@code include} asks for {@code reasoning.encrypted_content}: reasoning items carry the sealed block. */
    boolean encryptedReasoning() {
        return encryptedReasoning;
    }

    /** The request set {@code store} true or left it out (OpenAI's default): its answer's items are to be kept. */
    boolean storeAsked() {
        return storeAsked;
    }

    /** The request's namespaced tools, to give the model's calls to them back apart. */
    Namespaces namespaces() {
        return namespaces;
    }

    /** The echoed fields, each preceded by a comma, to follow a response object's own fields. */
    String fields() {
        return fields;
    }
}
