package dev.sluice.signin.billing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The billing group a request names in the Anthropic API's request tags, {@code "tags": {"<name>":
 * "<group>"}}, where {@code <name>} is the configured {@code billing-group-tag}; and the edit that
 * takes {@code tags} out of the body before an upstream that rejects it (Bedrock, Vertex, Mantle).
 *
 * <p>The seam, for the pipeline: after inspection, call {@link #read(RequestBody)}; record
 * {@link Found#group()} (only when the developer's groups list it, see {@link #accepted}) as the
 * request's billing group; then, for a signed-in developer or an upstream that rejects tags, call
 * {@link Found#strip(RequestBody)}, and drop the {@code request-tags-2026-08-21} value from
 * {@code anthropic-beta} ({@link #BETA}). One streaming pass over the original bytes, no tree.
 */
public final class BillingGroup {
    /** The beta value that goes with request tags; Bedrock, Mantle and Vertex reject it too. */
    public static final String BETA = "request-tags-2026-08-21";
    static final int MAX_TAGS = 32;
    static final int MAX_VALUE = 256;

    private final String tagName;

    public BillingGroup(String tagName) {
        this.tagName = tagName;
    }

    /** The top-level {@code tags} object: its byte range and (bounded) string values; null when absent or not an object. */
    public Found read(RequestBody body) {
        try (JsonParser p = Json.FACTORY.createParser(body.array(), 0, body.length())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            long fieldStart = -1;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                fieldStart = p.currentTokenLocation().getByteOffset();
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if ("tags".equals(name) && v == JsonToken.START_OBJECT) {
                    Map<String, String> tags = readTags(p);
                    long end = p.currentLocation().getByteOffset();
                    return new Found((int) fieldStart, (int) end, tags, tags.get(tagName));
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null; // inspection already rejected malformed bodies; nothing to take out of one
        }
    }

    private static Map<String, String> readTags(JsonParser p) throws IOException {
        Map<String, String> tags = new TreeMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String k = p.currentName();
            JsonToken t = p.nextToken();
            if (t == JsonToken.VALUE_STRING && tags.size() < MAX_TAGS && p.getTextLength() <= MAX_VALUE) {
                tags.put(k, p.getText());
            } else {
                p.skipChildren();
            }
        }
        return tags;
    }

    /** True when the named group is one the developer belongs to (an unlisted group is not recorded). */
    public static boolean accepted(String group, List<String> developerGroups) {
        return group != null && developerGroups.contains(group);
    }

    /**
     * The {@code tags} member found in a body.
     *
     * @param start byte offset of the {@code "tags"} key
     * @param end   byte offset just past the object's closing brace
     * @param tags  its string values
     * @param group the billing group named under the configured tag, or null
     */
    public record Found(int start, int end, Map<String, String> tags, String group) {
        /** Deletes the member and one adjoining comma, so the body stays valid JSON. */
        public void strip(RequestBody body) {
            byte[] b = body.array();
            int s = start;
            int e = end;
            int after = skipSpace(b, e, body.length());
            if (after < body.length() && b[after] == ',') {
                e = after + 1; // "tags":{...}, "next": ... → drop the trailing comma
            } else {
                int before = s - 1;
                while (before > 0 && isSpace(b[before])) {
                    before--;
                }
                if (b[before] == ',') {
                    s = before; // ..., "tags":{...}} → drop the leading comma
                }
            }
            body.delete(s, e, "billing group tags are not sent upstream");
        }

        private static int skipSpace(byte[] b, int i, int len) {
            while (i < len && isSpace(b[i])) {
                i++;
            }
            return i;
        }

        private static boolean isSpace(byte c) {
            return c == ' ' || c == '\n' || c == '\r' || c == '\t';
        }
    }
}
