package dev.sluice.translate;

import dev.sluice.pipeline.RequestBody;
import java.nio.charset.StandardCharsets;

/**
 * Thinking blocks the gateway made itself: an OpenAI-protocol upstream's reasoning text ({@code reasoning_content},
 * {@code reasoning}) reaches Anthropic clients as a {@code thinking} block, and a thinking block needs a
 * {@code signature} (the SDKs and Claude Code keep it and send the block back in the next turn). Only Anthropic can
 * sign one, so such a block carries {@link #SIGNATURE}: not a proof of anything, a mark. It cannot pass for one of
 * Anthropic's, which are base64 (no {@code :} in their alphabet), and the gateway knows its own blocks by it.
 *
 * <p>Where the blocks go back:
 * <ul>
 *   <li>to an OpenAI-protocol upstream: thinking blocks are never sent as blocks; their text goes back as the
 *       assistant message's {@code reasoning_content} only where the upstream asks for it
 *       ({@code reasoning.send-back}, DeepSeek's thinking tool loops), else they are left out;</li>
 *   <li>to Claude (Anthropic, Bedrock, Vertex, Foundry; a fallback from an OpenAI upstream, a route changed mid
 *       conversation): Claude answers a thinking block it did not sign with a 400 ("Invalid signature"), so
 *       {@link #forClaude} drops the gateway's blocks first, and when that leaves the tool loop under way without the
 *       thinking block Claude requires in front of it, turns thinking off for that request ({@link ThinkingStrip}).</li>
 * </ul>
 */
public final class ForeignThinking {
    /** The signature of every thinking block the gateway makes from an upstream's reasoning text. */
    public static final String SIGNATURE = "sluice:reasoning:v1";
    /** What every version of the mark starts with, as the bytes a JSON string holds it by ({@code "sluice:reasoning:}). */
    private static final byte[] MARK = "\"sluice:reasoning:".getBytes(StandardCharsets.US_ASCII);
    /** The search's anchor pair in {@link #MARK}: {@code :r}, rare in JSON text. */
    private static final int ANCHOR = 7;

    private ForeignThinking() {
    }

    /** True for a signature the gateway wrote ({@link #SIGNATURE} or a later version of it). */
    public static boolean isForeign(String signature) {
        return signature != null && signature.startsWith("sluice:reasoning:");
    }

    /**
     * The body for a Claude upstream: {@code body} itself when it holds no block of the gateway's (one vector search of
     * the client's bytes, the common case: 8 us of CPU for a 233 KB tool loop, {@link MarkSearch}; null for a call without a body), else a new body with them dropped
     * ({@link ThinkingStrip}).
     *
     * @throws dev.sluice.wire.ApiError 400 when such a body is not valid JSON
     */
    public static RequestBody forClaude(RequestBody body) {
        if (body == null || MarkSearch.indexOf(body.array(), body.length(), MARK, ANCHOR) < 0) {
            return body; // edits never add the mark: the client's bytes decide
        }
        RequestBody flat = body.edited() ? RequestBody.of(body.bytes().getBytes()) : body.fork();
        ThinkingStrip.apply(flat);
        return flat;
    }
}
