package dev.sluice.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;

/**
 * What YAML allows and a configuration must not say, refused by key before the text is read into a tree (attack round 27):
 *
 * <ul>
 *   <li>Aliases ({@code *name}). Jackson's YAML reader does not expand them: it reads an alias as the text of its anchor's
 *       name, so {@code value: *ops} under {@code admin.keys} configured the admin key {@code "ops"}, and a list alias
 *       became a string. Expanding them would open the door to alias bombs; a configuration has no need of them.</li>
 *   <li>A key written twice in one mapping (two {@code auth:} sections, a {@code port:} repeated): YAML keeps the last
 *       one without a word, so an {@code auth: {open: true}} pasted below the real section won.</li>
 * </ul>
 */
final class YamlChecks {
    private YamlChecks() {
    }

    /** Throws a {@link ConfigException} naming the first alias or repeated key and where; a syntax error is left to the reader. */
    static void refuse(String origin, String yaml, ObjectCodec codec) {
        java.util.ArrayDeque<java.util.Set<String>> keys = new java.util.ArrayDeque<>();
        try (JsonParser p = codec.getFactory().createParser(yaml)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.START_OBJECT) {
                    keys.push(new java.util.HashSet<>());
                } else if (t == JsonToken.END_OBJECT) {
                    keys.pop();
                } else if (t == JsonToken.FIELD_NAME && !keys.isEmpty() && !keys.peek().add(p.currentName())) {
                    throw new ConfigException(origin + ": key '" + path(p.getParsingContext()) + "' is written twice (again"
                            + " at line " + p.currentLocation().getLineNr() + "); write it once (YAML would keep only the"
                            + " last, without a word)");
                }
                if (p instanceof YAMLParser y && y.isCurrentAlias()) {
                    String where = path(p.getParsingContext());
                    throw new ConfigException(origin + ": key '" + where + "': a YAML alias (*" + p.getText() + ") at line "
                            + p.currentLocation().getLineNr() + "; aliases are not supported (they would be read as the"
                            + " text '" + p.getText() + "'): write the value out");
                }
            }
        } catch (IOException e) {
            // not valid YAML: the reader that follows says where
        }
    }

    /** The dotted path of the parser's position, e.g. {@code admin.keys[0].value}. */
    private static String path(JsonStreamContext ctx) {
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
            parts.push(c.inArray() ? "[" + c.getCurrentIndex() + "]" : "." + c.getCurrentName());
        }
        String path = String.join("", parts);
        return path.isEmpty() ? "(top)" : path.startsWith(".") ? path.substring(1) : path;
    }
}
