package dev.sluice.pipeline;

import java.util.List;

/**
 * What the one inspection pass over a canonical request body learned, so that no later stage
 * parses it again. Offsets are into the canonical body's original bytes ({@link RequestBody#array()}).
 *
 * @param model          the {@code model} field, or null
 * @param stream         the {@code stream} field
 * @param maxTokens      the {@code max_tokens} field, or -1
 * @param messageCount   number of entries in {@code messages}, or -1 when absent
 * @param metadataUserId {@code metadata.user_id} (Claude Code puts its session there), or null
 * @param bodyBytes      size of the body
 * @param fields         every top-level field with its byte span, in body order
 * @param messages       each entry of {@code messages} with its byte span, in order (the guard scans only new
 *                       ones, the cache keys them); empty when the body has none
 */
public record RequestFacts(String model, boolean stream, long maxTokens, int messageCount, String metadataUserId,
                           int bodyBytes, List<Field> fields, List<Span> messages) {
    public static final RequestFacts NONE = new RequestFacts(null, false, -1, -1, null, 0, List.of(), List.of());

    /** The top-level field called {@code name}, or null; of duplicates the last, as JSON parsers read them. */
    public Field field(String name) {
        for (int i = fields.size() - 1; i >= 0; i--) {
            if (fields.get(i).name().equals(name)) {
                return fields.get(i);
            }
        }
        return null;
    }

    /** A value's bytes in the body: {@code [start, end)}. */
    public record Span(int start, int end) {
    }

    /**
     * One top-level field of the body.
     *
     * @param name       its name
     * @param keyStart   offset of the opening quote of its name
     * @param valueStart offset of the first byte of its value
     * @param valueEnd   offset just after the last byte of its value
     */
    public record Field(String name, int keyStart, int valueStart, int valueEnd) {
    }
}
