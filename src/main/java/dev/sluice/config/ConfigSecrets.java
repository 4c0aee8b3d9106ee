package dev.sluice.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The secrets a configuration text holds written out (not as {@code ${ENV}} or {@code ${file:...}}), so that what is shown
 * of a version (its diff in {@code /admin/config/versions/N}, {@code sluice config show}, the version's metadata) shows
 * {@code <redacted>} in their place (attack round 27: an admin key, an upstream's key or a database password written
 * in the file reached every holder of a write credential through the diff). The version's text itself stays as written,
 * owner-only, since a rollback applies it.
 *
 * <p>What counts as a secret, by where it is: a gateway key ({@code auth.keys}), the {@code value} of any entry of a
 * {@code keys} list (admin and upstream keys), any value whose key ends in {@code password}, {@code secret} or
 * {@code token}, every value under {@code headers}, an alert sink's {@code url} (a Slack webhook's path is its secret),
 * a URL's password ({@code redis://:pw@host}).
 */
final class ConfigSecrets {
    static final String REDACTED = "<redacted>";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|token)");
    private static final Pattern URL_PASSWORD = Pattern.compile("://[^/@\\s:]*:([^/@\\s]+)@");
    /** What is left of a value once its references are taken out: a value made only of references holds no secret. */
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{[^}]*}");

    private ConfigSecrets() {
    }

    /** {@code text} with every secret written out in {@code texts} (the version shown and the one before) redacted. */
    static String redact(String text, String... texts) {
        Set<String> secrets = new LinkedHashSet<>();
        for (String t : texts) {
            secrets.addAll(literals(t));
        }
        String out = text;
        for (String s : secrets.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
            // as a whole token: a short key must not cut into other words more than it has to
            out = Pattern.compile("(?<![\\w-])" + Pattern.quote(s) + "(?![\\w-])").matcher(out)
                    .replaceAll(Matcher.quoteReplacement(REDACTED));
        }
        return out;
    }

    /** The secrets written out in a configuration text; none when it does not parse. */
    static Set<String> literals(String text) {
        Set<String> out = new LinkedHashSet<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        try {
            collect(YAML.readTree(text), "", "", false, out);
        } catch (JsonProcessingException e) {
            // a text that does not parse was never applied: nothing to redact by structure
        }
        return out;
    }

    private static void collect(JsonNode node, String name, String parent, boolean secret, Set<String> out) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            String v = node.asText();
            if (secret && !REFERENCE.matcher(v).replaceAll("").replaceAll("[^\\p{Alnum}]", "").isEmpty()) {
                out.add(v);
            }
            Matcher m = URL_PASSWORD.matcher(v);
            while (m.find()) {
                if (!REFERENCE.matcher(m.group(1)).replaceAll("").isEmpty()) {
                    out.add(m.group(1));
                }
            }
            return;
        }
        if (node.isArray()) {
            // auth.keys is a list of secrets; the entries of other keys lists are mappings with a value
            node.forEach(e -> collect(e, name, parent, secret || (name.equals("keys") && parent.equals("auth")), out));
            return;
        }
        node.properties().forEach(e -> {
            String key = e.getKey();
            boolean s = secret || name.equals("headers") || SECRET_NAME.matcher(key).matches()
                    || (key.equals("value") && name.equals("keys")) || (key.equals("url") && name.equals("sinks"));
            collect(e.getValue(), key, name, s, out);
        });
    }
}
