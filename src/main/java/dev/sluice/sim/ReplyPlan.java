package dev.sluice.sim;

import java.util.List;

/** The reply to send: its content blocks and why it stopped. */
record ReplyPlan(List<ReplyBlock> blocks, String stopReason) {

    int outputTokens() {
        int tokens = 0;
        for (ReplyBlock block : blocks) {
            tokens += block.outputTokens();
        }
        return tokens;
    }
}
