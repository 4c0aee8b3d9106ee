package dev.sluice.guard.answer;

import static dev.sluice.guard.answer.AnswerGuardTest.blockStart;
import static dev.sluice.guard.answer.AnswerGuardTest.blockStop;
import static dev.sluice.guard.answer.AnswerGuardTest.delta;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.guard.FakeSecrets;
import dev.sluice.guard.Finding;
import dev.sluice.guard.GuardPolicy;
import dev.sluice.guard.GuardScanner;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Answers stream disguised secrets too: each is found once, however the deltas cut it and however long the answer. */
class DisguisedAnswerTest {
    private static final GuardScanner SCANNER = new GuardScanner();

    @Test
    void aTokenWithZeroWidthSpacesStreamedInSmallDeltasIsFoundOnce() {
        FakeSecrets fake = new FakeSecrets(7);
        String token = fake.githubToken("gh" + "p_");
        String shown = token.substring(0, 4) + "\u200B" + token.substring(4, 20) + "\u00AD" + token.substring(20);
        StringBuilder text = new StringBuilder("Here it is: ").append(shown).append('\n');
        // Many more disguised characters after it: every one starts a window of its own, none reports the token again.
        for (int i = 0; i < 3000; i++) {
            text.append("word\u200Bbreak ");
        }
        text.append("\nand the other one: ").append(shown.replace('\u200B', '\uFEFF')).append(" done");
        AnswerGuard guard = SCANNER.answerGuard(GuardPolicy.defaults());
        List<Finding> found = new ArrayList<>(guard.onEvent(blockStart(0, "text")));
        String s = text.toString();
        for (int i = 0; i < s.length(); i += 5) {
            found.addAll(guard.onEvent(delta(0, "text_delta", "text", s.substring(i, Math.min(s.length(), i + 5)))));
        }
        found.addAll(guard.onEvent(blockStop(0)));
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        assertThat(found).extracting(Finding::rule).containsExactly("github-token", "github-token");
        assertThat(new String(bytes, found.get(0).start(), found.get(0).end() - found.get(0).start(), StandardCharsets.UTF_8))
                .isEqualTo(shown);
        assertThat(new String(bytes, found.get(1).start(), found.get(1).end() - found.get(1).start(), StandardCharsets.UTF_8))
                .isEqualTo(shown.replace('\u200B', '\uFEFF'));
    }
}
