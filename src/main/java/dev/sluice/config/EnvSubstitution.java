package dev.sluice.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-fallback}} with environment values, and
 * {@code ${file:/run/secrets/x}} with a secret file's contents (trimmed), so secrets stay out of
 * the configuration. It works on the parsed YAML's string values, not on the text: a substituted
 * value is taken literally whatever characters it holds ({@code #}, {@code : }, {@code *}, quotes),
 * and comments are never looked at. A missing variable without a fallback, or an unreadable secret
 * file, is an error naming the key and the variable.
 */
final class EnvSubstitution {
    private static final Pattern REF = Pattern.compile("\\$\\{(?:file:([^}]+)|([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?)}");

    private EnvSubstitution() {
    }

    /** Substitutes in place every string value of the tree. */
    static JsonNode apply(String origin, JsonNode node, Map<String, String> env) {
        walk(origin, node, "", env);
        return node;
    }

    private static void walk(String origin, JsonNode node, String path, Map<String, String> env) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (field.getValue().isTextual()) {
                    field.setValue(new TextNode(substitute(origin, at, field.getValue().asText(), env)));
                } else {
                    walk(origin, field.getValue(), at, env);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                String at = path + "[" + i + "]";
                if (array.get(i).isTextual()) {
                    array.set(i, new TextNode(substitute(origin, at, array.get(i).asText(), env)));
                } else {
                    walk(origin, array.get(i), at, env);
                }
            }
        }
    }

    private static String substitute(String origin, String key, String text, Map<String, String> env) {
        if (text.indexOf("${") < 0) {
            return text;
        }
        Matcher m = REF.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            String value = m.group(1) != null ? secretFile(origin, key, m.group(1).trim()) : variable(origin, key, m, env);
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String variable(String origin, String key, Matcher m, Map<String, String> env) {
        String name = m.group(2);
        String value = env.get(name);
        if (value != null && !value.isEmpty()) {
            return value;
        }
        if (m.group(3) == null) {
            throw new ConfigException(origin + ": key '" + key + "': environment variable " + name
                    + " is not set (expected: set it, or write ${" + name + ":-default})");
        }
        return m.group(4);
    }

    private static String secretFile(String origin, String key, String file) {
        try {
            return ConfigFiles.read(Path.of(file), ConfigFiles.MAX_SECRET_BYTES, origin + ": key '" + key + "': secret file ").trim();
        } catch (java.nio.file.InvalidPathException e) {
            throw new ConfigException(origin + ": key '" + key + "': secret file " + file + " is not a path");
        }
    }
}
