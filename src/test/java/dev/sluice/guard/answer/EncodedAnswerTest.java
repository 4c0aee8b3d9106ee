package dev.sluice.guard.answer;

import static dev.sluice.guard.answer.AnswerGuardTest.blockStart;
import static dev.sluice.guard.answer.AnswerGuardTest.blockStop;
import static dev.sluice.guard.answer.AnswerGuardTest.delta;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.guard.FakeSecrets;
import dev.sluice.guard.Finding;
import dev.sluice.guard.GuardPolicy;
import dev.sluice.guard.GuardScanner;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Attack round 41: a model that echoes a credential percent-encoded, as a base64 credential line, or split across two
 * adjacent text blocks is caught in a streamed answer as in a request (and in a whole answer, which is scanned as a body),
 * however the deltas cut it, each credential reported once; clean look-alikes stay clean.
 */
class EncodedAnswerTest {
    private static final GuardScanner SCANNER = new GuardScanner();
    private static final FakeSecrets FAKE = new FakeSecrets(41);
    private static final String TOKEN = FAKE.githubToken("gh" + "p_");
    /** Clean text long enough that a hit is checked mid-stream, before its block stops. */
    private static final String FILLER = "The build passed on every platform and the release notes are ready. ".repeat(400);

    /** What a stream of these text blocks, cut into deltas of {@code step} characters, yields; block by block. */
    private static List<List<Finding>> streamed(int step, String... blocks) {
        AnswerGuard guard = SCANNER.answerGuard(GuardPolicy.defaults());
        List<List<Finding>> byBlock = new ArrayList<>();
        for (int b = 0; b < blocks.length; b++) {
            List<Finding> found = new ArrayList<>(guard.onEvent(blockStart(b, "text")));
            String s = blocks[b];
            for (int i = 0; i < s.length(); i += step) {
                found.addAll(guard.onEvent(delta(b, "text_delta", "text", s.substring(i, Math.min(s.length(), i + step)))));
            }
            found.addAll(guard.onEvent(blockStop(b)));
            byBlock.add(found);
        }
        assertThat(guard.finish()).isEmpty();
        return byBlock;
    }

    private static List<Finding> all(List<List<Finding>> byBlock) {
        return byBlock.stream().flatMap(List::stream).toList();
    }

    private static List<Finding> whole(String... blocks) {
        StringBuilder b = new StringBuilder("{\"content\":[");
        for (int i = 0; i < blocks.length; i++) {
            b.append(i == 0 ? "" : ",").append("{\"type\":\"text\",\"text\":").append(new TextNode(blocks[i]).toString()).append('}');
        }
        byte[] body = b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        return SCANNER.scanAnswer(body, body.length, GuardPolicy.defaults()).findings();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String at(String text, Finding f) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return new String(b, f.start(), f.end() - f.start(), StandardCharsets.UTF_8);
    }

    @Test
    void aPercentEncodedTokenInAStreamIsFoundOnceOverItsEncodedBytes() {
        String encoded = TOKEN.replace("_", "%5F");
        String text = "Call it with curl -H 'x: " + encoded + "' https://api.github.com and %2Fdone\n" + FILLER;
        for (int step : new int[] {1, 7, 64, 4096}) {
            List<Finding> found = all(streamed(step, text));
            assertThat(found).as("step " + step).extracting(Finding::rule).containsExactly("github-token");
            assertThat(at(text, found.getFirst())).isEqualTo(encoded);
        }
        // Found mid-stream, once enough text follows it, not only when the block stops.
        AnswerGuard guard = SCANNER.answerGuard(GuardPolicy.defaults());
        guard.onEvent(blockStart(0, "text"));
        assertThat(guard.onEvent(delta(0, "text_delta", "text", text))).extracting(Finding::rule).containsExactly("github-token");
        assertThat(whole(text)).extracting(Finding::rule).containsExactly("github-token");
    }

    @Test
    void aBase64CredentialLineInAStreamIsFoundOverTheRun() {
        String encoded = b64("GITHUB_TOKEN=" + TOKEN + "\n");
        String text = "Decode it: echo " + encoded + " | base64 -d\n" + FILLER;
        for (int step : new int[] {1, 5, 300}) {
            List<Finding> found = all(streamed(step, text));
            assertThat(found).as("step " + step).extracting(Finding::rule).containsExactly("github-token");
            assertThat(at(text, found.getFirst())).isEqualTo(encoded);
        }
        assertThat(whole(text)).extracting(Finding::rule).containsExactly("github-token");
    }

    @Test
    void aTokenSplitAcrossTwoStreamedTextBlocksIsFoundInEachBlock() {
        String first = FILLER + "push with " + TOKEN.substring(0, 11);
        String second = TOKEN.substring(11) + " now\n" + FILLER;
        for (int step : new int[] {1, 9, 5000}) {
            List<List<Finding>> found = streamed(step, first, second);
            assertThat(all(found)).as("step " + step).extracting(Finding::rule).containsExactly("github-token", "github-token");
            Finding inFirst = all(found).get(0);
            Finding inSecond = all(found).get(1);
            assertThat(inFirst.location().block()).isZero();
            assertThat(at(first, inFirst)).isEqualTo(TOKEN.substring(0, 11));
            assertThat(inFirst.location().line()).isEqualTo(1);
            assertThat(inSecond.location().block()).isEqualTo(1);
            assertThat(at(second, inSecond)).isEqualTo(TOKEN.substring(11));
        }
        // Found while the second block streams, once it has a window's bytes: not held back to its end.
        AnswerGuard guard = SCANNER.answerGuard(GuardPolicy.defaults());
        guard.onEvent(blockStart(0, "text"));
        guard.onEvent(delta(0, "text_delta", "text", first));
        guard.onEvent(blockStop(0));
        guard.onEvent(blockStart(1, "text"));
        assertThat(guard.onEvent(delta(1, "text_delta", "text", second.substring(0, 300)))).hasSize(2);
        assertThat(whole(first, second)).extracting(Finding::rule).containsExactly("github-token", "github-token");
    }

    @Test
    void cleanLookAlikesInAStreamStayClean() {
        String urls = "See https://example.com/search?q=a%2Fb%3Dc&path=%2Fusr%2Flocal and "
                + b64("function token() {\n  return store.current(secretName, password => password.trim());\n}\n") + "\n";
        assertThat(all(streamed(3, urls + FILLER))).isEmpty();
        assertThat(all(streamed(4, "the config", "uration lives in README.md"))).isEmpty();
        // A thinking block and a text block are not one text; nor are two text blocks a line break apart.
        assertThat(all(streamed(4, "push with " + TOKEN.substring(0, 11) + "\n", TOKEN.substring(11)))).isEmpty();
    }
}
