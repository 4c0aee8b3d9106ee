package dev.sluice.pipeline;

/**
 * What one streaming pass over the request body learned, so that no later stage parses it again.
 *
 * @param model        the {@code model} field, or null
 * @param modelStart   byte offset of the model's JSON string (opening quote) in the body, or -1
 * @param modelEnd     byte offset just after its closing quote, or -1
 * @param stream       the {@code stream} field
 * @param maxTokens    the {@code max_tokens} field, or -1
 * @param messageCount number of entries in {@code messages}, or -1 when absent
 * @param metadataUserId {@code metadata.user_id} (Claude Code puts its session there), or null
 * @param bodyBytes    size of the body
 */
public record RequestFacts(String model, long modelStart, long modelEnd, boolean stream, long maxTokens,
                           int messageCount, String metadataUserId, int bodyBytes) {
    public static final RequestFacts NONE = new RequestFacts(null, -1, -1, false, -1, -1, null, 0);
}
