package dev.sluice.cache.normalise;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cache.Captures;
import dev.sluice.cache.key.KeyRules;
import dev.sluice.cache.key.KeySecret;
import dev.sluice.cache.key.RequestKey;
import dev.sluice.cache.key.RequestKeyer;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.wire.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpstreamNormaliserTest {
    private static final RequestKeyer KEYER = new RequestKeyer(KeySecret.fixed("test"));

    static RequestKey key(byte[] body) {
        return KEYER.key(body, body.length, KeyRules.defaults(), List.of());
    }

    static UpstreamNormaliser.Result normalise(RequestBody body) {
        return UpstreamNormaliser.apply(body, key(body.array()));
    }

    /** The prompt the provider caches on: everything but metadata (device and session ids). */
    private static JsonNode prompt(RequestBody body) throws Exception {
        ObjectNode tree = (ObjectNode) Json.MAPPER.readTree(body.bytes().getBytes());
        tree.remove("metadata");
        return tree;
    }

    /** Edits take byte offsets; the captures hold non-ASCII characters (an em dash, an emoji) before these. */
    private static int byteOffset(String body, String text) {
        return body.substring(0, body.indexOf(text)).getBytes(UTF_8).length;
    }

    @Test
    void aliceAndBobForwardTheSamePromptOnTheirFirstTurn() throws Exception {
        RequestBody alice = RequestBody.of(Captures.body("alice-turn1"));
        RequestBody bob = RequestBody.of(Captures.body("bob-turn1"));
        assertThat(prompt(alice)).isNotEqualTo(prompt(bob));

        assertThat(normalise(alice).outcome()).isEqualTo(Outcome.NORMALISED);
        assertThat(normalise(bob).outcome()).isEqualTo(Outcome.NORMALISED);

        assertThat(prompt(alice)).isEqualTo(prompt(bob));
        String sent = alice.bytes().toString(UTF_8);
        assertThat(sent).doesNotContain("alice").doesNotContain("Alice")
                .contains("Primary working directory: /workspace/calc\\n")
                .contains("/home/developer/.claude/projects/-workspace-calc/memory/")
                .contains("Git user: Team Developer\\n")
                .contains("cc_version=2.1.330.000;");
    }

    @Test
    void laterTurnsSwapPathsInToolInputsAndResultsToo() {
        RequestBody alice = RequestBody.of(Captures.body("alice-turn3"));
        UpstreamNormaliser.Result r = normalise(alice);
        assertThat(r.outcome()).isEqualTo(Outcome.NORMALISED);
        String sent = alice.bytes().toString(UTF_8);
        assertThat(sent).doesNotContain("/home/alice")
                .contains("grep -rn \\\"def \\\" /workspace/calc\"")
                .contains("\"/workspace/calc/calc.py:1:def add(a, b):\"")
                .contains("{\"file_path\":\"/workspace/calc/calc.py\"}");
        // the original stays for the audit
        assertThat(alice.original().toString(UTF_8)).contains("/home/alice/src/calc/calc.py");
    }

    @Test
    void manyPathsInOneStringAreOneEdit() {
        String many = "/home/alice/src/calc/a.py:1:x\\n".repeat(2_000);
        String body = new String(Captures.body("alice-turn3"), UTF_8).replace("1\\tdef add(a, b):", many + "1\\tdef add(a, b):");
        RequestBody req = RequestBody.of(body);
        UpstreamNormaliser.Result r = normalise(req);
        assertThat(r.outcome()).isEqualTo(Outcome.NORMALISED);
        assertThat(r.swaps()).isGreaterThan(2_000);
        assertThat(req.edits().size()).isLessThan(20); // one per string that names a value, not one per swap
        assertThat(req.bytes().toString(UTF_8)).doesNotContain("/home/alice")
                .contains("/workspace/calc/a.py:1:x\\n".repeat(2_000) + "1\\tdef add(a, b):");
    }

    @Test
    void aRequestAlreadyHoldingAStandInIsForwardedUntouched() {
        String body = new String(Captures.body("alice-turn1"), UTF_8).replace("What does the add", "Is /home/developer mine? What does the add");
        RequestBody req = RequestBody.of(body);
        assertThat(normalise(req).outcome()).isEqualTo(Outcome.STAND_IN_PRESENT);
        assertThat(req.edited()).isFalse();
    }

    @Test
    void theDevelopersNameLeftInProseKeepsTheRequestUntouched() {
        String body = new String(Captures.body("alice-turn1"), UTF_8).replace("What does the add", "alice asks: what does the add");
        assertThat(body).contains("alice asks");
        RequestBody req = RequestBody.of(body);
        assertThat(normalise(req).outcome()).isEqualTo(Outcome.IDENTITY_LEFT);
        assertThat(req.edited()).isFalse();
    }

    @Test
    void aFullNameGitUserIsSwappedWhereverItStandsAsWholeWords() {
        String body = new String(Captures.body("alice-turn1"), UTF_8).replace("What does the add", "Alice Example asks: what does the add");
        RequestBody req = RequestBody.of(body);
        assertThat(normalise(req).outcome()).isEqualTo(Outcome.NORMALISED);
        assertThat(req.bytes().toString(UTF_8)).doesNotContain("Alice Example").contains("Team Developer asks: what does the add");
    }

    @Test
    void aOneWordGitUserElsewhereThanItsLineKeepsTheRequestUntouched() {
        String body = new String(Captures.body("alice-turn1"), UTF_8).replace("Git user: Alice Example", "Git user: ally");
        assertThat(normalise(RequestBody.of(body)).outcome()).isEqualTo(Outcome.NORMALISED);
        RequestBody req = RequestBody.of(body.replace("What does the add", "ally asks: what does the add"));
        assertThat(normalise(req).outcome()).isEqualTo(Outcome.IDENTITY_LEFT);
        assertThat(req.edited()).isFalse();
    }

    @Test
    void aDevContainersGenericHomeComponentsAreOrdinaryWordsNotNames() {
        String body = new String(Captures.body("alice-turn1"), UTF_8)
                .replace("/home/alice", "/srv/shared/home/dev").replace("-home-alice-", "-srv-shared-home-dev-")
                .replace("What does the add", "In the shared checkout, what does the add");
        RequestBody req = RequestBody.of(body);
        assertThat(normalise(req).outcome()).isEqualTo(Outcome.NORMALISED);
        assertThat(req.bytes().toString(UTF_8)).doesNotContain("/srv/shared").contains("In the shared checkout");
    }

    @Test
    void anEscapedSpellingOfTheirPathIsNotSwappedSoNothingIs() {
        String body = new String(Captures.body("alice-turn1"), UTF_8).replace("What does the add", "See \\/home\\/alice\\/src\\/calc. What does the add");
        RequestBody req = RequestBody.of(body);
        assertThat(normalise(req).outcome()).isEqualTo(Outcome.IDENTITY_LEFT);
        assertThat(req.edited()).isFalse();
    }

    @Test
    void anotherStagesEditOnTheSameBytesWinsAndNothingIsSwapped() {
        byte[] bytes = Captures.body("alice-turn1");
        RequestBody req = RequestBody.of(bytes);
        int at = byteOffset(new String(bytes, UTF_8), "/home/alice/src/calc");
        req.replace(at + 3, at + 8, "[REDACTED]".getBytes(UTF_8), "guard: test");
        assertThat(normalise(req).outcome()).isEqualTo(Outcome.EDIT_CONFLICT);
        assertThat(req.edits()).hasSize(1);
    }

    @Test
    void aRedactionBetweenTwoPathsOfOneStringStaysItsOwnEdit() {
        String body = new String(Captures.body("alice-turn3"), UTF_8)
                .replace("1\\tdef add(a, b):", "/home/alice/src/calc/a.py SECRET /home/alice/src/calc/b.py");
        RequestBody req = RequestBody.of(body);
        int at = byteOffset(body, "SECRET");
        req.replace(at, at + 6, "[REDACTED]".getBytes(UTF_8), "guard: test");
        assertThat(normalise(req).outcome()).isEqualTo(Outcome.NORMALISED);
        assertThat(req.bytes().toString(UTF_8)).contains("/workspace/calc/a.py [REDACTED] /workspace/calc/b.py");
    }

    @Test
    void aRequestWithoutDeveloperValuesIsLeftAlone() {
        RequestBody req = RequestBody.of("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi /home/bob\"}]}");
        assertThat(normalise(req).outcome()).isEqualTo(Outcome.NOTHING_FOUND);
        assertThat(req.edited()).isFalse();
    }

    @Test
    void theBillingHeaderAloneIsMadeTeamConstant() {
        RequestBody req = RequestBody.of("{\"model\":\"m\",\"max_tokens\":5,\"system\":[{\"type\":\"text\",\"text\":"
                + "\"x-anthropic-billing-header: cc_version=2.1.330.e18; cc_entrypoint=sdk-cli;\"}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        UpstreamNormaliser.Result r = normalise(req);
        assertThat(r.outcome()).isEqualTo(Outcome.NORMALISED);
        assertThat(req.bytes().toString(UTF_8)).contains("cc_version=2.1.330.000; cc_entrypoint=sdk-cli;");
    }

    @Test
    void aDeveloperAlreadyAtTheStandInPathsHasOnlyTheRestSwapped() {
        String body = new String(Captures.body("alice-turn1"), UTF_8)
                .replace("-home-alice-src-calc", "-workspace-calc")
                .replace("/home/alice/src/calc", "/workspace/calc")
                .replace("/home/alice", "/home/developer");
        RequestBody req = RequestBody.of(body);
        UpstreamNormaliser.Result r = normalise(req);
        assertThat(r.outcome()).isEqualTo(Outcome.NORMALISED);
        assertThat(r.standIns().pairs()).hasSize(1); // the git user only
        assertThat(req.bytes().toString(UTF_8)).contains("Git user: Team Developer\\n");
    }
}
