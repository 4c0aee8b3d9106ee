package dev.sluice.front.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/**
 * Responses {@code namespace} tools (a named group of function tools; Codex CLI sends its sub-agent tools as one) on a
 * wire that has no groups: each function in a group is offered to the model as {@code <namespace>__<name>}, a call the
 * model makes to that name goes back to the client as a {@code function_call} with {@code namespace} and {@code name}
 * apart, as the API gives it, and a call the client sends back with its {@code namespace} is joined again. The names
 * the upstream sees stay within Anthropic's tool-name rule ({@code [A-Za-z0-9_-]}, at most 64), which the request
 * reader checks.
 */
final class Namespaces {
    static final String SEPARATOR = "__";

    /** The joined names of a request's namespaced tools, each to its namespace. Empty when there are none. */
    private final Map<String, String> namespaceOf;

    static final Namespaces NONE = new Namespaces(Map.of());

    private Namespaces(Map<String, String> namespaceOf) {
        this.namespaceOf = namespaceOf;
    }

    static String join(String namespace, String name) {
        return namespace + SEPARATOR + name;
    }

    /** The request's namespaced tools ({@code tools} as the client sent it, already checked by the reader). */
    static Namespaces of(JsonNode tools) {
        if (tools == null || !tools.isArray()) {
            return NONE;
        }
        Map<String, String> map = new HashMap<>();
        for (JsonNode tool : tools) {
            if (tool.path("type").asText("").equals("namespace")) {
                String namespace = tool.path("name").asText("");
                for (JsonNode inner : tool.path("tools")) {
                    map.put(join(namespace, inner.path("name").asText("")), namespace);
                }
            }
        }
        return map.isEmpty() ? NONE : new Namespaces(map);
    }

    /** The namespace of a tool name the model called, or null for a tool outside any group. */
    String namespaceOf(String calledName) {
        return namespaceOf.get(calledName);
    }

    /** The name inside its namespace, for a called name {@link #namespaceOf} placed in one. */
    static String inner(String calledName, String namespace) {
        return calledName.substring(namespace.length() + SEPARATOR.length());
    }
}
