package dev.sluice.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.front.anthropic.AnthropicProtocol;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.pipeline.RequestFacts;
import org.junit.jupiter.api.Test;

class BodyScanTest {
    private static long hash(String json) {
        RequestBody body = RequestBody.of(json);
        RequestFacts facts = AnthropicProtocol.INSTANCE.inspect(Operation.MESSAGES, body).facts();
        return BodyScan.prefixHash(body.array(), facts);
    }

    private static String conversation(String system, String... turns) {
        StringBuilder sb = new StringBuilder("{\"model\":\"m\",\"max_tokens\":5,\"system\":\"" + system + "\",\"messages\":[");
        for (int i = 0; i < turns.length; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"role\":\"").append(i % 2 == 0 ? "user" : "assistant")
                    .append("\",\"content\":\"").append(turns[i]).append("\"}");
        }
        return sb.append("]}").toString();
    }

    @Test
    void aConversationKeepsItsPrefixHashAsItGrowsAndAnotherGetsAnother() {
        long turn1 = hash(conversation("You help.", "fix the bug"));
        long turn3 = hash(conversation("You help.", "fix the bug", "done", "thanks, now test it"));
        assertThat(turn3).isEqualTo(turn1).isNotZero();
        assertThat(hash(conversation("You help.", "write docs"))).isNotEqualTo(turn1);
        assertThat(hash(conversation("You review.", "fix the bug"))).isNotEqualTo(turn1);
    }

    @Test
    void aFirstMessageLongerThanTheSampleStillIdentifiesTheConversation() {
        String longFirst = "x".repeat(BodyScan.FIRST_MESSAGE_BYTES * 2);
        assertThat(hash(conversation("s", longFirst, "ok", "more"))).isEqualTo(hash(conversation("s", longFirst)));
    }
}
