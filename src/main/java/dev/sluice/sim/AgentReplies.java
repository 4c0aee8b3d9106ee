package dev.sluice.sim;

import dev.sluice.sim.agent.AgentAnswer;
import dev.sluice.sim.agent.AgentBlock;
import dev.sluice.sim.agent.AgentScript;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Turns the deterministic agent's answer ({@code --script agent}) into the simulator's reply plan. */
final class AgentReplies {

    /** A planned reply with the message id the agent seeded. */
    record Reply(String messageId, ReplyPlan plan) {
    }

    private AgentReplies() {
    }

    /** The body was validated by {@link MessagesRequest#parse} already, so it reads. */
    static Reply plan(byte[] body) {
        AgentAnswer answer;
        try {
            answer = AgentScript.answer(SimJson.MAPPER.readTree(body));
        } catch (IOException e) {
            throw ApiException.invalidRequest("body: not JSON (" + e.getMessage() + ")");
        }
        List<ReplyBlock> blocks = new ArrayList<>(answer.blocks().size());
        for (AgentBlock block : answer.blocks()) {
            blocks.add(switch (block) {
                case AgentBlock.Text t -> new ReplyBlock.Text(Tokenizer.pieces(t.text()));
                case AgentBlock.Thinking th -> new ReplyBlock.Thinking(List.of(), th.signature());
                case AgentBlock.ToolUse u -> new ReplyBlock.ToolUse(u.id(), u.name(), u.input(), Tokenizer.pieces(u.input().toString()));
            });
        }
        return new Reply(answer.messageId(), new ReplyPlan(blocks, answer.stopReason()));
    }
}
