package dev.sluice.cache.prompt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cache.BigBodies;
import dev.sluice.cache.Captures;
import dev.sluice.cache.key.RequestKey;
import dev.sluice.cache.normalise.UpstreamNormaliser;
import dev.sluice.pipeline.RequestBody;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link PromptHashes} walks the body once for the prefix identities and the fork prefixes; each must be exactly what
 * the two passes it replaced gave ({@link TwoPassReference}), on Claude Code's own requests and on bodies shaped to
 * reach the corners: four markers with one on the tools and one at the top level, a marker as a block's first member,
 * escaped strings, a conversation longer than the fork's noted ends, and bodies other stages edited.
 */
class PromptHashesTest {
    @Test
    void oneWalkGivesWhatTheTwoPassesGaveOnUneditedBodies() {
        int forks = 0;
        int prefixes = 0;
        for (Map.Entry<String, byte[]> e : bodies().entrySet()) {
            byte[] body = e.getValue();
            RequestKey key = PromptCacheHelpTest.key(body);
            assertThat(key.cacheable()).as(e.getKey()).isTrue();
            for (String org : List.of("org-a", "another org")) {
                PromptHashes both = PromptHashes.of(RequestBody.of(body), key, org, true, true);
                List<PromptPrefix> want = TwoPassReference.prefixes(body, key);
                assertThat(both.prefixes()).as(e.getKey()).isEqualTo(want);
                prefixes += want.size();
                int last = ForkBreakpoint.lastToNote(key);
                if (last < 0) {
                    assertThat(both.forks()).as(e.getKey()).isNull();
                    continue;
                }
                assertThat(both.forks()).as(e.getKey()).containsExactly(TwoPassReference.forks(RequestBody.of(body), key, org, last));
                forks += last + 1;
                // and each family alone, as a route with only one of them on asks
                assertThat(PromptHashes.of(RequestBody.of(body), key, org, true, false).prefixes()).isEqualTo(want);
                assertThat(PromptHashes.of(RequestBody.of(body), key, org, false, true).forks()).containsExactly(both.forks());
            }
        }
        assertThat(prefixes).isGreaterThan(40);
        assertThat(forks).isGreaterThan(100);
    }

    @Test
    void oneWalkGivesWhatTheTwoPassesGaveOnEditedBodies() {
        for (String capture : List.of("alice-turn1", "bob-turn1", "alice-turn3")) {
            RequestBody body = RequestBody.of(Captures.body(capture));
            RequestKey key = PromptCacheHelpTest.key(body.array());
            assertThat(UpstreamNormaliser.apply(body, key).normalised()).as(capture).isTrue();
            TtlUpgrade.apply(body, PromptPrefix.of(body, key), p -> true); // an edit inside each marker, left out
            assertThat(body.edits()).hasSizeGreaterThan(3);

            PromptHashes both = PromptHashes.of(body, key, "org-a", true, true);

            assertThat(both.prefixes()).extracting(PromptPrefix::hash)
                    .containsExactlyElementsOf(TwoPassReference.forwardedPrefixHashes(body, key));
            int last = ForkBreakpoint.lastToNote(key);
            assertThat(last).isPositive();
            assertThat(both.forks()).containsExactly(TwoPassReference.forks(body, key, "org-a", last));
        }
    }

    /** What the upstream normaliser makes alike is alike to the provider's cache, and so to the identities. */
    @Test
    void twoDevelopersWhosePromptsNormaliseAlikeShareTheirPrefixIdentities() {
        List<List<String>> hashes = new ArrayList<>();
        for (String who : List.of("alice", "bob")) {
            RequestBody body = RequestBody.of(new String(Captures.body(who + "-turn1"), UTF_8)
                    .replace("cc_version=2.1.330.771;", "cc_version=2.1.330." + who.length() + ";").getBytes(UTF_8));
            RequestKey key = PromptCacheHelpTest.key(body.array());
            assertThat(UpstreamNormaliser.apply(body, key).normalised()).isTrue();
            hashes.add(PromptPrefix.of(body, key).stream().map(PromptPrefix::hash).toList());
        }
        assertThat(hashes.get(0)).hasSizeGreaterThanOrEqualTo(2).isEqualTo(hashes.get(1));
    }

    private static Map<String, byte[]> bodies() {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (String capture : List.of("alice-turn1", "alice-turn2", "alice-turn3", "bob-turn1", "bob-turn3")) {
            out.put(capture, Captures.body(capture));
        }
        out.put("demo", Captures.demoBody());
        String turn3 = new String(Captures.body("alice-turn3"), UTF_8);
        out.put("tools and top markers", turn3
                .replaceFirst("\"tools\":\\[\\{", "\"tools\":[{\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"1h\"},")
                .replaceFirst("\"messages\":", "\"cache_control\":{\"type\":\"ephemeral\"},\"messages\":").getBytes(UTF_8));
        out.put("long conversation, marker on the newest block", lastBlockMarked(
                BigBodies.claudeCode(200_000, "alice-turn3", "/home/alice/src/calc")));
        out.put("escaped strings, marker first in its block", escaped());
        return out;
    }

    /** Claude Code keeps a breakpoint on the newest message. */
    private static byte[] lastBlockMarked(byte[] body) {
        String text = new String(body, UTF_8);
        int end = text.lastIndexOf("}]}]");
        return (text.substring(0, end) + ",\"cache_control\":{\"type\":\"ephemeral\"}" + text.substring(end)).getBytes(UTF_8);
    }

    /** A system array and conversation of escaped text (quotes, backslashes, \\u escapes, raw UTF-8), three markers. */
    private static byte[] escaped() {
        StringBuilder messages = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            String role = i % 2 == 0 ? "user" : "assistant";
            String marker = i == 9 ? "{\"cache_control\":{\"type\":\"ephemeral\"},\"type\":\"text\"," : "{\"type\":\"text\",";
            messages.append(i == 0 ? "" : ",").append("{\"role\":\"").append(role).append("\",\"content\":[")
                    .append(marker).append("\"text\":\"turn ").append(i)
                    .append(": say \\\"hi\\\" in C:\\\\temp\\\\x \\u00e9t\\u00e9 — naïve ✓ \\n\\tnext line ").append("x".repeat(300 + i * 40))
                    .append("\"}]}");
        }
        String body = "{\"model\":\"claude-opus-5-5\",\"max_tokens\":1024,\"stream\":true,"
                + "\"tools\":[{\"name\":\"Read\",\"description\":\"Reads a file \\\"as is\\\"\",\"input_schema\":{\"type\":\"object\"}}],"
                + "\"system\":[{\"type\":\"text\",\"text\":\"You are \\\"Claude\\\".\\n\"},"
                + "{\"type\":\"text\",\"text\":\"" + "Rules \\u2014 follow them.\\n".repeat(200) + "\",\"cache_control\":{\"type\":\"ephemeral\"}}],"
                + "\"messages\":[" + messages + "]}";
        return lastBlockMarked(body.getBytes(UTF_8));
    }
}
