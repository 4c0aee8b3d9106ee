package dev.sluice.cache.key;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Incremental keying ({@link KeyCheckpoints}) must give exactly the key a keyer without checkpoints computes from scratch:
 * key, anchor, bindings and every other fact, on growing conversations, on forks that replace any number of messages,
 * and on tails that change what canonicalisation does to the messages before them (a first workspace marker, a reused
 * tool id, a new newest text, whitespace and escapes under the rules that touch them).
 */
class KeyCheckpointsTest {
    private static final KeySecret SECRET = KeySecret.fixed("checkpoints");
    private static final List<String> CONTEXT = List.of("target=anthropic/m", "anthropic-version=2023-06-01");
    private static final List<KeyRules> RULES = List.of(KeyRules.defaults(), KeyRules.exact(), KeyRules.of(EnumSet.allOf(KeyRule.class)));

    private final RequestKeyer scratch = new RequestKeyer(SECRET, false, null);

    @Test
    void resumedKeysEqualKeysFromScratchOverRandomConversationsAndForks() {
        KeyCheckpoints checkpoints = new KeyCheckpoints(KeyCheckpoints.DEFAULT_BUDGET, 0);
        RequestKeyer incremental = new RequestKeyer(SECRET, false, checkpoints);
        Random r = new Random(7);
        int bodies = 0;
        for (int conversation = 0; conversation < 150; conversation++) {
            KeyRules rules = RULES.get(conversation % RULES.size());
            Conversation c = Conversation.random(r);
            List<String> messages = new ArrayList<>();
            int turns = 2 + r.nextInt(10);
            for (int t = 0; t < turns; t++) {
                messages.add(Conversation.message(r, messages.size()));
                if (r.nextInt(3) == 0) {
                    messages.add(Conversation.message(r, messages.size()));
                }
                if (r.nextInt(8) == 0) {
                    c.reviseOneField(r); // a changed system prompt or max_tokens: nothing may be resumed across it
                }
                same(incremental, c.body(messages), rules);
                bodies++;
            }
            for (int fork = 0; fork < 4; fork++) { // an edited or rewound conversation: keep a prefix, new tail
                List<String> forked = new ArrayList<>(messages.subList(0, r.nextInt(messages.size() + 1)));
                int tail = r.nextInt(4);
                for (int m = 0; m < tail; m++) {
                    forked.add(Conversation.message(r, forked.size()));
                }
                same(incremental, c.body(forked), rules);
                bodies++;
            }
        }
        assertThat(bodies).isGreaterThan(1000);
        assertThat(checkpoints.resumedMessages()).as("messages skipped by resuming").isGreaterThan(2000);
    }

    /** The real CLI's three turns for Alice and Bob, then the 700 KB continuation of the benchmarks, in turn order. */
    @Test
    void realClaudeCodeTurnsResumeAndKeyAsFromScratch() {
        KeyCheckpoints checkpoints = new KeyCheckpoints(KeyCheckpoints.DEFAULT_BUDGET, 0);
        RequestKeyer incremental = new RequestKeyer(SECRET, false, checkpoints);
        for (String who : List.of("alice", "bob")) {
            for (int turn = 1; turn <= 3; turn++) {
                same(incremental, dev.sluice.cache.Captures.body(who + "-turn" + turn), KeyRules.defaults());
            }
        }
        long afterCaptures = checkpoints.resumedMessages();
        assertThat(afterCaptures).as("turns 2 and 3 resume their earlier messages").isPositive();
        byte[] big = dev.sluice.cache.BigBodies.claudeCode(300_000, "alice-turn3", "/home/alice/src/calc");
        same(incremental, big, KeyRules.defaults());
        same(incremental, big, KeyRules.defaults());
        assertThat(checkpoints.resumedMessages() - afterCaptures).as("the grown body resumes from turn 3, then from itself")
                .isGreaterThan(halfTheMessages(big));
    }

    /** Several threads key interleaved turns of several conversations through one keyer: every key as from scratch. */
    @Test
    void threadsSharingOneKeyerGetKeysAsFromScratch() throws Exception {
        KeyCheckpoints checkpoints = new KeyCheckpoints(KeyCheckpoints.DEFAULT_BUDGET, 0);
        RequestKeyer incremental = new RequestKeyer(SECRET, false, checkpoints);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            long seed = t;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    Random r = new Random(seed % 2); // two threads per sequence of conversations: they race on the same checkpoints
                    for (int conversation = 0; conversation < 30; conversation++) {
                        Conversation c = Conversation.random(r);
                        List<String> messages = new ArrayList<>();
                        for (int turn = 0; turn < 6; turn++) {
                            messages.add(Conversation.message(r, messages.size()));
                            same(incremental, c.body(messages), KeyRules.defaults());
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failures).isEmpty();
        assertThat(checkpoints.resumedMessages()).isPositive();
    }

    /** Half the messages of a body (counted by their role members). */
    private static int halfTheMessages(byte[] body) {
        String text = new String(body, UTF_8);
        return (text.length() - text.replace("\"role\":", "").length()) / "\"role\":".length() / 2;
    }

    @Test
    void aTailWithTheFirstWorkspaceMarkerIsNotResumedOverEarlierPaths() {
        KeyCheckpoints checkpoints = new KeyCheckpoints(KeyCheckpoints.DEFAULT_BUDGET, 0);
        RequestKeyer incremental = new RequestKeyer(SECRET, false, checkpoints);
        List<String> messages = new ArrayList<>(List.of(
                user("Read /home/alice/src/calc/calc.py please"),
                "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"Read\","
                        + "\"input\":{\"file_path\":\"/home/alice/src/calc/calc.py\"}}]}",
                "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":\"def add\"}]}"));
        Conversation c = Conversation.plain();
        RequestKey before = same(incremental, c.body(messages), KeyRules.defaults());
        assertThat(before.substituted()).isTrue(); // the tool ids
        assertThat(before.bindings().isEmpty()).isTrue();
        long resumed = checkpoints.resumedMessages();
        messages.add("{\"role\":\"system\",\"content\":\"Primary working directory: /home/alice/src/calc\\nmore\"}");
        RequestKey after = same(incremental, c.body(messages), KeyRules.defaults());
        assertThat(after.bindings().value(Placeholder.WORKSPACE)).isEqualTo("/home/alice/src/calc");
        assertThat(checkpoints.resumedMessages()).as("new bindings: nothing resumed").isEqualTo(resumed);
        messages.add(user("and now?"));
        same(incremental, c.body(messages), KeyRules.defaults());
        assertThat(checkpoints.resumedMessages()).as("same bindings again: resumed").isGreaterThan(resumed);
    }

    @Test
    void theNewestTextIsNeverResumedOverAndTheAnchorStaysExact() {
        KeyCheckpoints checkpoints = new KeyCheckpoints(KeyCheckpoints.DEFAULT_BUDGET, 0);
        RequestKeyer incremental = new RequestKeyer(SECRET, false, checkpoints);
        Conversation c = Conversation.plain();
        List<String> messages = new ArrayList<>(List.of(user("first question"), "{\"role\":\"assistant\",\"content\":\"an answer\"}",
                user("second question")));
        RequestKey first = same(incremental, c.body(messages), KeyRules.defaults());
        assertThat(first.anchor()).isNotNull();
        RequestKey again = same(incremental, c.body(messages), KeyRules.defaults());
        assertThat(again.key()).isEqualTo(first.key());
        assertThat(checkpoints.resumedMessages()).as("the two messages before the newest").isEqualTo(2);
        messages.add("{\"role\":\"assistant\",\"content\":\"another answer\"}");
        messages.add(user("third question"));
        RequestKey third = same(incremental, c.body(messages), KeyRules.defaults());
        assertThat(third.anchor()).isNotNull();
        assertThat(checkpoints.resumedMessages()).isEqualTo(4);
    }

    /** A tenant resumes only from its own checkpoints: the key is the same, but nothing is learnt from another's timing. */
    @Test
    void checkpointsAreNeverSharedAcrossPartitions() {
        KeyCheckpoints checkpoints = new KeyCheckpoints(KeyCheckpoints.DEFAULT_BUDGET, 0);
        RequestKeyer incremental = new RequestKeyer(SECRET, false, checkpoints);
        Conversation c = Conversation.plain();
        byte[] body = c.body(List.of(user("first question"), "{\"role\":\"assistant\",\"content\":\"an answer\"}",
                user("second question")));
        RequestKey fromScratch = scratch.key(body, body.length, KeyRules.defaults(), CONTEXT);
        RequestKey acme = incremental.key(body, body.length, KeyRules.defaults(), CONTEXT, "acme");
        assertThat(checkpoints.resumedMessages()).isZero();
        RequestKey globex = incremental.key(body, body.length, KeyRules.defaults(), CONTEXT, "globex");
        assertThat(checkpoints.resumedMessages()).as("another org's checkpoint is not found").isZero();
        RequestKey acmeAgain = incremental.key(body, body.length, KeyRules.defaults(), CONTEXT, "acme");
        assertThat(checkpoints.resumedMessages()).as("the same org's is").isEqualTo(2);
        for (RequestKey k : List.of(acme, globex, acmeAgain)) {
            assertThat(k.key()).isEqualTo(fromScratch.key());
            assertThat(k.anchor()).isEqualTo(fromScratch.anchor());
        }
    }

    @Test
    void theSameBodyAgainSkipsEveryMessageAndStoresNothingNew() {
        KeyCheckpoints checkpoints = new KeyCheckpoints(KeyCheckpoints.DEFAULT_BUDGET, 0);
        RequestKeyer incremental = new RequestKeyer(SECRET, false, checkpoints);
        Conversation c = Conversation.plain();
        List<String> messages = List.of(user("q"), "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_9\","
                + "\"name\":\"Bash\",\"input\":{\"command\":\"ls\"}}]}",
                "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_9\",\"content\":\"a.txt\"}]}");
        byte[] body = c.body(messages);
        same(incremental, body, KeyRules.defaults());
        long stored = checkpoints.bytes();
        same(incremental, body, KeyRules.defaults());
        assertThat(checkpoints.resumedMessages()).isEqualTo(3);
        assertThat(checkpoints.bytes()).isEqualTo(stored);
        assertThat(checkpoints.size()).isEqualTo(1);
    }

    @Test
    void smallBodiesAndTheShaKeyerKeyFromScratch() {
        KeyCheckpoints checkpoints = new KeyCheckpoints(KeyCheckpoints.DEFAULT_BUDGET, 1 << 20);
        RequestKeyer incremental = new RequestKeyer(SECRET, false, checkpoints);
        byte[] body = Conversation.plain().body(List.of(user("q")));
        same(incremental, body, KeyRules.defaults());
        same(incremental, body, KeyRules.defaults());
        assertThat(checkpoints.size()).isZero();
        RequestKeyer sha = new RequestKeyer(SECRET, true);
        assertThat(sha.key(body, body.length, KeyRules.defaults(), CONTEXT).key())
                .isEqualTo(new RequestKeyer(SECRET, true, null).key(body, body.length, KeyRules.defaults(), CONTEXT).key());
    }

    @Test
    void theStoreStaysInsideItsBudget() {
        long budget = 64 << 10;
        KeyCheckpoints checkpoints = new KeyCheckpoints(budget, 0);
        RequestKeyer incremental = new RequestKeyer(SECRET, false, checkpoints);
        Random r = new Random(3);
        for (int n = 0; n < 200; n++) {
            List<String> messages = new ArrayList<>();
            for (int m = 0; m < 6; m++) {
                messages.add(Conversation.message(r, m));
            }
            same(incremental, Conversation.random(r).body(messages), KeyRules.defaults());
            assertThat(checkpoints.bytes()).isLessThanOrEqualTo(budget);
        }
        assertThat(checkpoints.size()).isGreaterThan(1);
    }

    /** Keys the body with both keyers and checks every fact is the same; returns the incremental one. */
    private RequestKey same(RequestKeyer incremental, byte[] body, KeyRules rules) {
        RequestKey want = scratch.key(body, body.length, rules, CONTEXT);
        RequestKey got = incremental.key(body, body.length, rules, CONTEXT);
        String what = new String(body, UTF_8);
        assertThat(got.keyHex()).as(what).isEqualTo(want.keyHex());
        assertThat(got.anchorHex()).as(what).isEqualTo(want.anchorHex());
        assertThat(got.reason()).isEqualTo(want.reason());
        assertThat(got.bindings().asMap()).isEqualTo(want.bindings().asMap());
        assertThat(got.substituted()).as(what).isEqualTo(want.substituted());
        assertThat(got.messageOffsets()).isEqualTo(want.messageOffsets());
        assertThat(got.newestText()).isEqualTo(want.newestText());
        assertThat(got.sections()).isEqualTo(want.sections());
        assertThat(got.breakpoints()).isEqualTo(want.breakpoints());
        assertThat(got.newestIsToolResult()).isEqualTo(want.newestIsToolResult());
        return got;
    }

    private static String user(String text) {
        return "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"" + text + "\"}]}";
    }

    /** The non-message fields of one conversation, in a random member order, and the bodies of its turns. */
    private static final class Conversation {
        private static final String[] TEXT = {"plain words ", "/home/alice/src/calc/calc.py", " /home/alice/notes", "\\n", "\\r\\n",
                "  \\n", "\\t\\n", "trailing  ", "\\u00e9", "é", "\\/", "\\\"quoted\\\" ", "\\\\", "Git user: Alice Example\\n",
                "Today's date is 2026-11-29.", "Primary working directory: /home/alice/src/calc\\n",
                "Primary working directory: /home/bob/calc\\n", "Git user: Bob\\n",
                "persistent file-based memory at `/home/alice/.claude/projects/-home-alice-src-calc/memory/`", "<system-reminder>"};
        private static final String[] IDS = {"toolu_01A", "toolu_01B", "toolu_01C", "toolu_01D"};

        private final List<String> fields = new ArrayList<>();
        private int messagesAt;

        static Conversation plain() {
            Conversation c = new Conversation();
            c.fields.addAll(List.of("\"model\":\"m\"", "\"max_tokens\":100", "\"system\":\"You help.\""));
            c.messagesAt = 2;
            return c;
        }

        static Conversation random(Random r) {
            Conversation c = new Conversation();
            c.fields.add("\"model\":\"claude-opus-5-5\"");
            c.fields.add("\"max_tokens\":" + (1000 + r.nextInt(3)));
            c.fields.add("\"system\":" + (r.nextBoolean() ? "\"" + text(r) + "\""
                    : "[{\"type\":\"text\",\"text\":\"x-anthropic-billing-header: cc_version=1\"},{\"type\":\"text\",\"text\":\""
                    + text(r) + "\",\"cache_control\":{\"type\":\"ephemeral\"}}]"));
            c.fields.add("\"tools\":[{\"name\":\"Read\",\"input_schema\":{\"type\":\"object\"}}]");
            c.fields.add("\"metadata\":{\"user_id\":\"u" + r.nextInt(5) + "\"}");
            if (r.nextBoolean()) {
                c.fields.add("\"temperature\":" + (r.nextBoolean() ? "1" : "0.50"));
            }
            c.fields.add("\"stream\":" + r.nextBoolean());
            Collections.shuffle(c.fields, r);
            c.messagesAt = r.nextInt(c.fields.size() + 1); // messages before, between or after the other fields
            return c;
        }

        void reviseOneField(Random r) {
            int f = r.nextInt(fields.size());
            String field = fields.get(f);
            if (field.startsWith("\"max_tokens\"")) {
                fields.set(f, "\"max_tokens\":" + (2000 + r.nextInt(9)));
            } else if (field.startsWith("\"system\"")) {
                fields.set(f, "\"system\":\"" + text(r) + "\"");
            }
        }

        byte[] body(List<String> messages) {
            StringBuilder sb = new StringBuilder("{");
            for (int i = 0; i <= fields.size(); i++) {
                if (i == messagesAt) {
                    sb.append(sb.length() > 1 ? "," : "").append("\"messages\":[").append(String.join(",", messages)).append(']');
                }
                if (i < fields.size()) {
                    sb.append(sb.length() > 1 ? "," : "").append(fields.get(i));
                }
            }
            return sb.append('}').toString().getBytes(UTF_8);
        }

        static String text(Random r) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + r.nextInt(6);
            for (int i = 0; i < n; i++) {
                sb.append(TEXT[r.nextInt(TEXT.length)]);
            }
            return sb.toString();
        }

        /** A random message: user text or blocks, an assistant tool use, a tool result (ids reused), a system message. */
        static String message(Random r, int index) {
            String id = IDS[r.nextInt(IDS.length)];
            String cache = r.nextInt(5) == 0 ? ",\"cache_control\":{\"type\":\"ephemeral\"}" : "";
            return switch (r.nextInt(6)) {
                case 0 -> "{\"role\":\"user\",\"content\":\"" + text(r) + "\"}";
                case 1 -> "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"<system-reminder>" + text(r) + "\"},"
                        + "{\"type\":\"text\",\"text\":\"" + text(r) + "\"" + cache + "}]}";
                case 2 -> "{\"content\":[{\"type\":\"text\",\"text\":\"" + text(r) + "\"},{\"type\":\"tool_use\",\"id\":\"" + id
                        + "\",\"name\":\"Read\",\"input\":{\"file_path\":\"/home/alice/src/calc/f" + index + ".py\"}}],\"role\":\"assistant\"}";
                case 3 -> "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"" + id + "\",\"content\":"
                        + (r.nextBoolean() ? "\"" + text(r) + "\"" : "[{\"type\":\"text\",\"text\":\"" + text(r) + "\"}]") + cache + "}]}";
                case 4 -> "{\"role\":\"system\",\"content\":\"" + text(r) + "\"}";
                default -> "{ \"role\" : \"assistant\", \"content\" : \"" + text(r) + "\" }";
            };
        }
    }
}
