package dev.sluice.cache.key;

import java.util.HexFormat;
import java.util.List;

/**
 * What the keyer found in one request: the cache key, the semantic anchor, and the facts the cache,
 * the semantic cache, the guardrail scanner and the router want from the same pass.
 *
 * @param key                16-byte key of the canonical request (null when not cacheable)
 * @param anchor             16-byte hash of everything except the newest user text, or null when the
 *                           newest turn has no user text (then semantic matching does not apply)
 * @param reason             why the request cannot be keyed, or null
 * @param model              the requested model, or null
 * @param stream             the request's {@code stream} flag (not part of the key: both forms share entries)
 * @param temperature        the {@code temperature}, NaN when absent (the API default is 1)
 * @param newestIsToolResult the newest user turn carries a tool result (never matched by meaning)
 * @param messageOffsets     body offset of each message's opening brace, in order
 * @param newestText         body ranges {@code [start, end)} (raw JSON string content) of the newest user text, as pairs
 * @param bindings           the developer-specific values found
 * @param substituted        true when any value was replaced in the key (the entry is workspace-relative)
 * @param sections           body ranges of {@code tools}, {@code system} and {@code messages} as pairs ({@code -1} when absent)
 * @param breakpoints        the request's {@code cache_control} markers, in body order
 * @param blockEnds          body offset just past each content block of the messages (array contents only), in order
 */
public record RequestKey(byte[] key, byte[] anchor, String reason, String model, boolean stream, double temperature,
                         boolean newestIsToolResult, int[] messageOffsets, int[] newestText, Bindings bindings,
                         boolean substituted, int[] sections, List<Breakpoint> breakpoints, int[] blockEnds) {

    public static RequestKey uncacheable(String reason) {
        return new RequestKey(null, null, reason, null, false, Double.NaN, false, new int[0], new int[0], Bindings.NONE,
                false, new int[] {-1, -1, -1, -1, -1, -1}, List.of(), new int[0]);
    }

    public boolean cacheable() {
        return key != null;
    }

    public String keyHex() {
        return key == null ? null : HexFormat.of().formatHex(key);
    }

    public String anchorHex() {
        return anchor == null ? null : HexFormat.of().formatHex(anchor);
    }

    @Override
    public String toString() {
        return cacheable() ? "RequestKey[" + keyHex() + ", model=" + model + ", messages=" + messageOffsets.length
                + ", bindings=" + bindings + ", substituted=" + substituted + "]" : "RequestKey[uncacheable: " + reason + "]";
    }
}
