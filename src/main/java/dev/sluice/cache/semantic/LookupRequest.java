package dev.sluice.cache.semantic;

import dev.sluice.cache.semantic.index.Anchor;
import java.util.Objects;

/**
 * One question to match: the tenant scope, the anchor (the exact hash of everything but the
 * newest user text), that text, and whether the newest content is a tool result (then nothing is
 * compared: an agent loop's tool output is never answered from another conversation), and the base
 * threshold of the request's route ({@code NaN}: the matcher's own), and the model the request asks for (null:
 * unknown), which verdicts on a match are filed under for the threshold proposal.
 */
public record LookupRequest(String scope, Anchor anchor, String text, boolean toolResult, double baseThreshold, String model) {
    public LookupRequest(String scope, Anchor anchor, String text, boolean toolResult) {
        this(scope, anchor, text, toolResult, Double.NaN, null);
    }

    public LookupRequest(String scope, Anchor anchor, String text, boolean toolResult, double baseThreshold) {
        this(scope, anchor, text, toolResult, baseThreshold, null);
    }

    public LookupRequest {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(anchor, "anchor");
        Objects.requireNonNull(text, "text");
    }

    /** Built from {@link NewestTurn}: a turn without newest user text is treated like a tool result. */
    public static LookupRequest of(String scope, Anchor anchor, NewestTurn turn) {
        return new LookupRequest(scope, anchor, turn.text(), turn.kind() != NewestTurn.Kind.TEXT, Double.NaN, null);
    }
}
