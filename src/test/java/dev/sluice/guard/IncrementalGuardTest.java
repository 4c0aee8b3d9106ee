package dev.sluice.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.guard.incremental.MessageSpans;
import dev.sluice.guard.incremental.PrefixHashes;
import dev.sluice.wire.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A conversation growing turn by turn is scanned only where it is new, and the answer is the full scan's. */
class IncrementalGuardTest {
    private static final GuardScanner SCANNER = new GuardScanner();
    private final FakeSecrets fake = new FakeSecrets(9);

    /** Claude Code's way: the cache marker sits on the last block of the last message only. */
    private static byte[] body(List<ObjectNode> messages) {
        List<ObjectNode> copy = new ArrayList<>();
        for (ObjectNode m : messages) {
            copy.add(m.deepCopy());
        }
        ObjectNode last = copy.getLast();
        ((ObjectNode) last.withArray("content").get(last.withArray("content").size() - 1)).putObject("cache_control").put("type", "ephemeral");
        return Bodies.request(copy);
    }

    private static GuardScan incremental(IncrementalGuard g, byte[] b, GuardPolicy p) {
        MessageSpans spans = MessageSpans.find(b, b.length);
        return g.scan(b, b.length, spans, PrefixHashes.compute(b, spans), p);
    }

    @Test
    void eachTurnScansOnlyWhatIsNewAndFindsWhatAFullScanFinds() {
        IncrementalGuard guard = new IncrementalGuard(SCANNER, 10_000, Duration.ofHours(1));
        GuardPolicy policy = GuardPolicy.defaults();
        List<ObjectNode> conversation = new ArrayList<>();
        conversation.add(Bodies.user("fix the deploy script"));
        String token = fake.githubToken("gh" + "p_");
        int lastFrom = -1;
        for (int turn = 0; turn < 6; turn++) {
            conversation.add(Bodies.message("assistant", Bodies.toolUse("toolu_" + turn, "Read", Map.of("file_path", "/src/f" + turn))));
            String content = turn == 1 ? "GITHUB_TOKEN=" + token + "\n" : "line one\nline two " + turn;
            conversation.add(Bodies.message("user", Bodies.toolResult("toolu_" + turn, content)));
            byte[] b = body(conversation);
            GuardScan inc = incremental(guard, b, policy);
            GuardScan full = SCANNER.scan(b, b.length, policy);
            assertThat(inc.findings()).as("turn %d", turn).isEqualTo(full.findings());
            if (turn > 0) {
                assertThat(inc.scannedFrom()).as("turn %d starts after the known prefix", turn).isGreaterThan(lastFrom);
            }
            if (turn >= 1) {
                assertThat(inc.findings()).extracting(Finding::rule).containsExactly("github-token");
            }
            if (turn >= 3) {
                // At turn 2 the token's message lost its cache marker, so it was read once more; from then on it is known.
                assertThat(inc.reused()).isEqualTo(1);
            }
            lastFrom = inc.scannedFrom();
        }
    }

    @Test
    void theSystemPromptIsSkippedOnceKnownButItsFindingsStay() {
        IncrementalGuard guard = new IncrementalGuard(SCANNER, 10_000, Duration.ofHours(1));
        String token = fake.githubToken("gh" + "p_");
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("model", "m");
        root.putArray("messages").add(Bodies.user("hi"));
        root.putArray("system").add(Bodies.text("gitStatus: remote https://x:" + token + "@github.com/acme/api"));
        byte[] first = Bodies.bytes(root);
        GuardScan a = incremental(guard, first, GuardPolicy.defaults());
        ((com.fasterxml.jackson.databind.node.ArrayNode) root.withArray("messages")).add(Bodies.assistant("hello")).add(Bodies.user("go on"));
        byte[] second = Bodies.bytes(root);
        GuardScan b = incremental(guard, second, GuardPolicy.defaults());
        assertThat(a.findings()).extracting(Finding::rule).containsExactly("github-token");
        assertThat(b.findings()).isEqualTo(SCANNER.scan(second, second.length, GuardPolicy.defaults()).findings());
        assertThat(b.reused()).isEqualTo(1);
        assertThat(b.strings()).as("only the two new messages were read, not the system prompt").isEqualTo(2);
    }

    @Test
    void anotherPolicyOrAnEditedPrefixIsNotReused() {
        IncrementalGuard guard = new IncrementalGuard(SCANNER, 10_000, Duration.ofHours(1));
        List<ObjectNode> conv = new ArrayList<>(List.of(Bodies.user("a"), Bodies.assistant("b"), Bodies.user("c")));
        byte[] b = body(conv);
        incremental(guard, b, GuardPolicy.defaults());
        assertThat(incremental(guard, b, GuardPolicy.builder().scope("tenant-2").build()).scannedFrom()).isZero();
        conv.set(0, Bodies.user("A"));
        assertThat(incremental(guard, body(conv), GuardPolicy.defaults()).scannedFrom()).isZero();
    }

    @Test
    void messageSpansMatchTheStructure() {
        byte[] b = body(List.of(Bodies.user("x \" ] } y"), Bodies.assistant("z")));
        MessageSpans spans = MessageSpans.find(b, b.length);
        assertThat(spans.count()).isEqualTo(2);
        String first = new String(b, spans.start(0), spans.end(0) - spans.start(0), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(first).startsWith("{\"role\":\"user\"").endsWith("}");
        assertThatThrownBy(() -> MessageSpans.of(new int[] {5, 3}, new int[] {9, 4})).hasMessageContaining("ordered");
        assertThat(MessageSpans.find("{\"model\":\"m\"}".getBytes(), 13).count()).isZero();
    }

    @Test
    void prefixDigestsAgreeOnEqualPrefixesOnly() {
        byte[] a = body(List.of(Bodies.user("one"), Bodies.assistant("two")));
        byte[] b = body(List.of(Bodies.user("one"), Bodies.assistant("two"), Bodies.user("three")));
        PrefixHashes ha = PrefixHashes.compute(a, MessageSpans.find(a, a.length));
        PrefixHashes hb = PrefixHashes.compute(b, MessageSpans.find(b, b.length));
        assertThat(hb.hi(0)).isEqualTo(ha.hi(0));
        assertThat(hb.lo(0)).isEqualTo(ha.lo(0));
        // messages[1] carried the cache marker in a; in b it does not: different bytes, different digest.
        assertThat(hb.hi(1)).isNotEqualTo(ha.hi(1));
    }
}
