package dev.sluice.front.bedrock;

import dev.sluice.pipeline.Bounded;
import dev.sluice.provider.catalog.ClaudeModelIds;
import dev.sluice.wire.ApiError;

/**
 * The model of a Bedrock runtime path, {@code {prefix}/model/{modelId}/{action}}, as the gateway's routes name it.
 * The id comes raw ({@code ...-v1:0}, as Claude Code sends it) or percent-encoded ({@code ...-v1%3A0}, as the AWS SDKs
 * send it; an ARN's {@code /} as {@code %2F}). Bedrock ids (with or without an inference-profile prefix such as
 * {@code us.} or {@code global.}) and inference-profile or foundation-model ARNs become the Anthropic model name the
 * meter prices and the routes match ({@link ClaudeModelIds#fromProvider}); an id it cannot map (an application
 * inference profile's ARN, a model the gateway names itself) passes as given, so a route can still match it.
 */
final class ModelPath {
    /** Longest model segment read, encoded: an ARN is about 120 characters, and every byte may be escaped. */
    private static final int MAX_SEGMENT = Bounded.MODEL * 3;

    private ModelPath() {
    }

    /**
     * The model named by {@code path}, which starts with {@code modelsPrefix} ({@code /bedrock/model/}) and ends with
     * {@code "/" + action}.
     *
     * @throws ApiError 400 when the segment is empty, too long, badly escaped or not a model name
     */
    static String model(String path, String modelsPrefix, String action) {
        int from = modelsPrefix.length();
        int to = path.length() - action.length() - 1;
        if (to <= from) {
            throw ApiError.invalidRequest("path: no model id in " + Bounded.text(path, 200)
                    + " (expected: " + modelsPrefix + "{modelId}/" + action + ")");
        }
        if (to - from > MAX_SEGMENT) {
            throw ApiError.invalidRequest("modelId: at most " + Bounded.MODEL + " characters");
        }
        String id = decode(path.substring(from, to));
        if (id.length() > Bounded.MODEL) {
            throw ApiError.invalidRequest("modelId: at most " + Bounded.MODEL + " characters");
        }
        if (!Bounded.isModelName(id)) {
            throw ApiError.invalidRequest("modelId: " + Bounded.text(id, 200) + " is not a model id (expected printable"
                    + " ASCII without spaces, such as us.anthropic.claude-sonnet-4-5-20250929-v1:0)");
        }
        return anthropicName(id);
    }

    /** The Anthropic model name for a Bedrock model id or ARN; the id itself when it names no Claude model. */
    static String anthropicName(String id) {
        String bedrockId = id;
        if (id.startsWith("arn:")) {
            int slash = id.lastIndexOf('/');
            if (slash < 0 || !(id.contains(":inference-profile/") || id.contains(":foundation-model/"))) {
                return id; // an application inference profile (its name says nothing of the model), a provisioned model
            }
            bedrockId = id.substring(slash + 1);
        }
        if (!bedrockId.contains("anthropic.")) {
            return id;
        }
        return ClaudeModelIds.builtIn().fromProvider(bedrockId);
    }

    /** Percent-decodes a path segment ({@code %3A} is {@code :}); a {@code +} stays a {@code +}, as in any path. */
    static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        byte[] out = new byte[segment.length()];
        int n = 0;
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c >= 0x80) {
                throw ApiError.invalidRequest("modelId: must be ASCII (got " + Bounded.text(segment, 200) + ")");
            }
            if (c != '%') {
                out[n++] = (byte) c;
                continue;
            }
            int hi = i + 2 < segment.length() ? Character.digit(segment.charAt(i + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(segment.charAt(i + 2), 16) : -1;
            if (lo < 0) {
                throw ApiError.invalidRequest("modelId: a '%' not followed by two hex digits in "
                        + Bounded.text(segment, 200));
            }
            out[n++] = (byte) (hi << 4 | lo);
            i += 2;
        }
        return new String(out, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    }
}
