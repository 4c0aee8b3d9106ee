package dev.sluice.sim.agent;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One content block of an agent answer. */
public sealed interface AgentBlock {

    /** Visible text. */
    record Text(String text) implements AgentBlock {
        public Text {
            requireNonNull(text, "text");
        }
    }

    /** Thinking with its text omitted (as Claude Code asks for it), carrying only a signature. */
    record Thinking(String signature) implements AgentBlock {
        public Thinking {
            requireNonNull(signature, "signature");
        }
    }

    /** A tool call for the client to run. */
    record ToolUse(String id, String name, ObjectNode input) implements AgentBlock {
        public ToolUse {
            requireNonNull(id, "id");
            requireNonNull(name, "name");
            requireNonNull(input, "input");
        }
    }
}
