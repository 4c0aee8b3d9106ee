package dev.sluice.cache.learn.capture;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a request body into comparable digests, off the event loop. It reads the body once into a tree and writes
 * each part (params, tools, system, each message) in a canonical form: object members sorted, {@code cache_control}
 * markers and {@code metadata}/{@code stream} left out, Claude Code's billing header dropped. That form is written
 * under four variants (developer values replaced or not, text whitespace normalised or not), each hashed with
 * HMAC-SHA256 under the capture's salt and shortened to 16 hex digits, which is plenty to tell parts apart in one
 * organization's traffic.
 *
 * <p>This is not the cache key (the keyer's canonical form is a byte stream of its own); it mirrors the keyer's
 * rules closely enough to say which part of a missed request differed and which rule would have made it match.
 */
public final class ShapeDigester {
    private static final int DIGEST_HEX = 16;
    private static final List<Pattern> LOOSE = List.of(
            Pattern.compile("(/home/|/Users/)[^/\\s\"\\\\]+"),
            Pattern.compile("[A-Za-z]:\\\\+Users\\\\+[^\\\\\\s\"]+"),
            Pattern.compile("Git user: [^\\n]*"),
            Pattern.compile("Today's date is [^\\n]*"),
            Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}"),
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"),
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}"));
    private static final Pattern KNOWN = Pattern.compile("\u0001[A-Z_]+\u0001");
    private static final Pattern TRAILING_BLANKS = Pattern.compile("[ \\t]+(?=\\n|$)");

    private final byte[] salt;

    public ShapeDigester(byte[] salt) {
        if (salt == null || salt.length < 16) {
            throw new IllegalArgumentException("capture salt: " + (salt == null ? "null" : salt.length + " bytes") + " (expected: at least 16 bytes)");
        }
        this.salt = salt.clone();
    }

    /** What the digester found; {@code newestText} is null unless asked for. */
    public record Digests(Shape.Parts parts, Shape.Parts raw, Map<Shape.Variant, String> keys, String loose,
                          List<Shape.Breakpoint> breakpoints, Map<String, String> bindings, String newestText) {
    }

    /**
     * @param bindings the developer values the keyer found, by placeholder name (replaced in the rewrite variants)
     * @param context  what outside the body is part of the key (target, betas, version)
     * @throws IOException when the body is not JSON
     */
    public Digests digest(byte[] body, int length, Map<String, String> bindings, List<String> context, boolean withText)
            throws IOException {
        JsonNode root = Json.MAPPER.readTree(body, 0, length);
        if (root == null || !root.isObject()) {
            throw new IOException("the body is not a JSON object");
        }
        List<Map.Entry<String, String>> values = new ArrayList<>(bindings.entrySet());
        values.removeIf(e -> e.getValue() == null || e.getValue().isEmpty());
        values.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getValue().length()).reversed());
        Map<String, String> toolIds = toolIds(root);
        Map<Shape.Variant, List<String>> forms = new EnumMap<>(Shape.Variant.class);
        for (Shape.Variant v : Shape.Variant.values()) {
            boolean rewrite = v == Shape.Variant.REWRITE || v == Shape.Variant.REWRITE_WHITESPACE;
            boolean ws = v == Shape.Variant.WHITESPACE || v == Shape.Variant.REWRITE_WHITESPACE;
            UnaryOperator<String> text = s -> {
                String t = rewrite ? rewrite(s, values) : s;
                return ws ? whitespace(t) : t;
            };
            forms.put(v, canonicalParts(root, text, rewrite ? toolIds : Map.of()));
        }
        Map<Shape.Variant, String> keys = new EnumMap<>(Shape.Variant.class);
        String ctx = String.join("\n", context);
        forms.forEach((v, parts) -> keys.put(v, hash(ctx + "\u0000" + String.join("\u0000", parts))));
        List<String> loose = canonicalParts(root, s -> loose(whitespace(rewrite(s, values))), toolIds);
        Map<String, String> boundDigests = new TreeMap<>();
        values.forEach(e -> boundDigests.put(e.getKey(), hash("binding\u0000" + e.getValue())));
        return new Digests(parts(forms.get(Shape.Variant.REWRITE)), parts(forms.get(Shape.Variant.EXACT)), keys,
                hash(ctx + "\u0000" + String.join("\u0000", loose)), breakpoints(root), boundDigests,
                withText ? newestText(root) : null);
    }

    /** A digest of an answer's text, with the developer's values masked, so A's answer and B's replay compare equal. */
    public String answer(String text, Map<String, String> bindings) {
        List<Map.Entry<String, String>> values = new ArrayList<>(bindings.entrySet());
        values.removeIf(e -> e.getValue() == null || e.getValue().isEmpty());
        values.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getValue().length()).reversed());
        return hash("answer\u0000" + rewrite(text, values).strip().replaceAll("\\s+", " "));
    }

    /** [params, tools, system, message 0, ..., message n-1] in canonical form. */
    private static List<String> canonicalParts(JsonNode root, UnaryOperator<String> text, Map<String, String> toolIds) {
        List<String> out = new ArrayList<>();
        StringBuilder params = new StringBuilder("{");
        new TreeMap<String, JsonNode>(fields(root)).forEach((name, value) -> {
            if (!name.equals("system") && !name.equals("tools") && !name.equals("messages") && !name.equals("metadata")
                    && !name.equals("stream") && !name.equals("cache_control")) {
                params.append(name).append(':');
                write(value, params, text, toolIds, false);
                params.append(',');
            }
        });
        out.add(params.append('}').toString());
        out.add(canonical(root.get("tools"), text, toolIds));
        out.add(canonical(systemWithoutBilling(root.get("system")), text, toolIds));
        JsonNode messages = root.get("messages");
        if (messages != null && messages.isArray()) {
            for (JsonNode m : messages) {
                out.add(canonical(m, text, toolIds));
            }
        }
        return out;
    }

    private static JsonNode systemWithoutBilling(JsonNode system) {
        if (system == null || !system.isArray()) {
            return system;
        }
        var copy = Json.MAPPER.createArrayNode();
        for (JsonNode block : system) {
            if (!block.path("text").asText("").startsWith("x-anthropic-billing-header:")) {
                copy.add(block);
            }
        }
        return copy;
    }

    private static String canonical(JsonNode node, UnaryOperator<String> text, Map<String, String> toolIds) {
        if (node == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        write(node, sb, text, toolIds, false);
        return sb.toString();
    }

    private static void write(JsonNode n, StringBuilder sb, UnaryOperator<String> text, Map<String, String> toolIds, boolean idField) {
        if (n.isObject()) {
            sb.append('{');
            new TreeMap<String, JsonNode>(fields(n)).forEach((name, value) -> {
                if (!name.equals("cache_control")) {
                    sb.append(name).append(':');
                    write(value, sb, text, toolIds, name.equals("id") || name.equals("tool_use_id"));
                    sb.append(',');
                }
            });
            sb.append('}');
        } else if (n.isArray()) {
            sb.append('[');
            n.forEach(e -> {
                write(e, sb, text, toolIds, false);
                sb.append(',');
            });
            sb.append(']');
        } else if (n.isTextual()) {
            String s = n.asText();
            String id = idField ? toolIds.get(s) : null;
            sb.append('"').append(id != null ? id : text.apply(s)).append('"');
        } else if (n.isNumber()) {
            sb.append(n.decimalValue().stripTrailingZeros().toPlainString());
        } else {
            sb.append(n.asText());
        }
    }

    private static Map<String, JsonNode> fields(JsonNode o) {
        Map<String, JsonNode> out = new HashMap<>();
        o.properties().forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** Tool-use ids in order of appearance become {@code #1}, {@code #2}, ... (upstream-random, never meaningful). */
    private static Map<String, String> toolIds(JsonNode root) {
        Map<String, String> ids = new HashMap<>();
        for (JsonNode m : root.path("messages")) {
            for (JsonNode block : m.path("content")) {
                String id = block.path("type").asText("").endsWith("tool_use") ? block.path("id").asText(null)
                        : block.path("tool_use_id").asText(null);
                if (id != null && !ids.containsKey(id)) {
                    ids.put(id, "#" + (ids.size() + 1));
                }
            }
        }
        return ids;
    }

    private static String rewrite(String s, List<Map.Entry<String, String>> values) {
        String out = s;
        for (Map.Entry<String, String> e : values) {
            if (out.contains(e.getValue())) {
                out = out.replace(e.getValue(), "\u0001" + e.getKey() + "\u0001");
            }
        }
        return out;
    }

    static String whitespace(String s) {
        String t = s.indexOf('\r') >= 0 ? s.replace("\r\n", "\n") : s;
        return TRAILING_BLANKS.matcher(t).replaceAll("");
    }

    /** Every developer value, known to the keyer (already a placeholder) or matched by pattern, as one mask. */
    static String loose(String s) {
        String out = KNOWN.matcher(s).replaceAll("\u0002");
        for (Pattern p : LOOSE) {
            out = p.matcher(out).replaceAll("\u0002");
        }
        return out;
    }

    private Shape.Parts parts(List<String> forms) {
        List<String> digests = new ArrayList<>(forms.size());
        List<Long> prefixBytes = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < forms.size(); i++) {
            digests.add(hash(forms.get(i)));
            if (i >= 1) {
                total += forms.get(i).getBytes(UTF_8).length;
                prefixBytes.add(total);
            }
        }
        int n = digests.size();
        List<String> turns = n > 4 ? digests.subList(3, n - 1) : List.of();
        String newest = n > 3 ? digests.get(n - 1) : null;
        return new Shape.Parts(digests.get(0), digests.get(1), digests.get(2), turns, newest, prefixBytes);
    }

    /** Where the {@code cache_control} markers are: 0 tools, 1 system, 2 + n message n. */
    private static List<Shape.Breakpoint> breakpoints(JsonNode root) {
        List<Shape.Breakpoint> out = new ArrayList<>();
        marked(root.get("tools"), 0, out);
        marked(root.get("system"), 1, out);
        int m = 0;
        for (JsonNode message : root.path("messages")) {
            marked(message.get("content"), 2 + m, out);
            m++;
        }
        return out;
    }

    private static void marked(JsonNode blocks, int part, List<Shape.Breakpoint> out) {
        if (blocks == null || !blocks.isArray()) {
            return;
        }
        for (JsonNode b : blocks) {
            JsonNode cc = b.get("cache_control");
            if (cc != null && cc.isObject()) {
                out.add(new Shape.Breakpoint(part, cc.path("ttl").asText("5m")));
            }
        }
    }

    private static String newestText(JsonNode root) {
        JsonNode messages = root.path("messages");
        if (messages.isEmpty()) {
            return null;
        }
        JsonNode content = messages.get(messages.size() - 1).path("content");
        StringBuilder sb = new StringBuilder();
        if (content.isTextual()) {
            sb.append(content.asText());
        } else {
            for (JsonNode b : content) {
                if (b.path("type").asText().equals("text") && !b.path("text").asText().startsWith("<system-reminder>")) {
                    sb.append(b.path("text").asText()).append('\n');
                }
            }
        }
        String t = sb.toString().strip();
        return t.length() > 2000 ? t.substring(0, 2000) : t;
    }

    /** HMAC-SHA256 under the salt, shortened: the salt keeps short texts from being guessed from a capture file. */
    String hash(String s) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(s.getBytes(UTF_8))).substring(0, DIGEST_HEX);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
