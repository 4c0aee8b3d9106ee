package dev.sluice.cache.learn.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sluice.config.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a policies file for {@code sluice replay}:
 * <pre>
 * policies:
 *   - name: today                        # every field but name is optional: as recorded
 *   - {name: shared-1h, scope: org, ttl: 1h, rewrite: true, whitespace: true}
 *   - {name: per-user, scope: user}
 *   - {name: across-deploys, namespaces: false}
 * </pre>
 * At most {@value #MAX_POLICIES} policies, at most 1 MB; an unknown field is an error naming it.
 */
public final class PolicyFile {
    static final int MAX_POLICIES = 32;
    private static final long MAX_BYTES = 1 << 20;
    private static final Set<String> FIELDS = Set.of("name", "ttl", "scope", "rewrite", "whitespace", "namespaces", "busts");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private PolicyFile() {
    }

    /** @throws IllegalArgumentException naming the file, the policy and the field */
    public static List<ReplayPolicy> read(Path file) throws IOException {
        if (Files.size(file) > MAX_BYTES) {
            throw new IllegalArgumentException(file + ": " + Files.size(file) + " bytes (expected: at most 1 MB)");
        }
        return parse(file.toString(), Files.readString(file));
    }

    public static List<ReplayPolicy> parse(String origin, String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new IllegalArgumentException(origin + ": not YAML: " + e.getMessage());
        }
        JsonNode list = root == null ? null : root.get("policies");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException(origin + ": policies (expected: a non-empty list of policies)");
        }
        if (list.size() > MAX_POLICIES) {
            throw new IllegalArgumentException(origin + ": " + list.size() + " policies (expected: at most " + MAX_POLICIES + ")");
        }
        List<ReplayPolicy> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode p = list.get(i);
            String where = origin + ": policies[" + i + "]";
            if (!p.isObject()) {
                throw new IllegalArgumentException(where + " (expected: a mapping with at least name)");
            }
            p.fieldNames().forEachRemaining(f -> {
                if (!FIELDS.contains(f)) {
                    throw new IllegalArgumentException(where + "." + f + ": unknown (expected one of: name, ttl, scope, rewrite, whitespace, namespaces, busts)");
                }
            });
            String name = p.path("name").asText("");
            if (!names.add(name)) {
                throw new IllegalArgumentException(where + ".name: '" + name + "' appears twice");
            }
            try {
                out.add(new ReplayPolicy(name, p.has("ttl") ? ttl(p.get("ttl").asText()) : null,
                        p.has("scope") ? p.get("scope").asText() : null, bool(p, "rewrite", where), bool(p, "whitespace", where),
                        !Boolean.FALSE.equals(bool(p, "namespaces", where)), !Boolean.FALSE.equals(bool(p, "busts", where))));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static Duration ttl(String text) {
        try {
            return Durations.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("ttl '" + text + "' (expected: a duration such as 5m, 1h or 7d)");
        }
    }

    private static Boolean bool(JsonNode p, String field, String where) {
        JsonNode v = p.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw new IllegalArgumentException(where + "." + field + ": '" + v.asText() + "' (expected: true or false)");
        }
        return v.asBoolean();
    }
}
