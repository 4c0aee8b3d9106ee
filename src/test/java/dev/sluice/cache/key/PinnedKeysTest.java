package dev.sluice.cache.key;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cache.Captures;
import dev.sluice.cache.prompt.PromptPrefix;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Keys, anchors, bindings and prompt-prefix hashes pinned to the values the keyer gave before its hash and
 * writer were made cheaper (commit ae93331, main at the time), re-pinned for {@link RequestKeyer#FORMAT} 2 (attack round 28:
 * the workspace's own name joined the key; the hash and writer are unchanged). Stored entries are found by these bytes: a
 * change here means every cache in every deployment goes cold, and must come with a new {@link RequestKeyer#FORMAT}.
 */
class PinnedKeysTest {
    private static final RequestKeyer KEYER = new RequestKeyer(KeySecret.fixed("pinned"));
    private static final List<String> CONTEXT = List.of("target=anthropic/claude-opus-5-5",
            "anthropic-beta=claude-code-20250219", "anthropic-version=2023-06-01");
    private static final String[] CAPTURES = {"alice-turn1", "alice-turn2", "alice-turn3", "bob-turn1", "bob-turn2", "bob-turn3"};

    /** key and anchor of each capture under the default rules, in {@link #CAPTURES} order. */
    private static final String[][] DEFAULT_KEYS = {
        {"d125073f6bbd9bfaaa5ecb933158e42c", "770e348c5acbc6f22dd5c5f2e3f3ecce"},
        {"2865339a24def43a9847e2403cd7fea1", null},
        {"e4e60cedb2e59cdabb2bbb92bc23805e", null},
        {"d125073f6bbd9bfaaa5ecb933158e42c", "770e348c5acbc6f22dd5c5f2e3f3ecce"},
        {"864aff9ec15c9b3a54b9b83587ddbb10", null},
        {"36da64ea6aa5b133f25d764617d344b7", null},
    };

    /** SHA-256 over {@link #everything()}: every capture and the demo body under three rule sets, 300 random documents, prefixes. */
    private static final String EVERYTHING = "68704cd62fe2fbdc6bc43f503d1ef14e454c21347ab5786645ba6f48273dac8e";

    @Test
    void capturesKeepTheirKeysAndAnchors() {
        for (int c = 0; c < CAPTURES.length; c++) {
            byte[] body = Captures.body(CAPTURES[c]);
            RequestKey key = KEYER.key(body, body.length, KeyRules.defaults(), CONTEXT);
            assertThat(new String[] {key.keyHex(), key.anchorHex()}).as(CAPTURES[c]).containsExactly(DEFAULT_KEYS[c]);
        }
    }

    @Test
    void keysAnchorsBindingsAndPrefixesOfManyBodiesAreUnchanged() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(everything().getBytes(UTF_8));
        assertThat(HexFormat.of().formatHex(digest)).isEqualTo(EVERYTHING);
    }

    static String everything() {
        List<KeyRules> ruleSets = List.of(KeyRules.defaults(), KeyRules.exact(), KeyRules.of(EnumSet.allOf(KeyRule.class)));
        List<byte[]> bodies = new ArrayList<>();
        for (String name : CAPTURES) {
            bodies.add(Captures.body(name));
        }
        bodies.add(Captures.demoBody());
        Random r = new Random(20261129);
        for (int i = 0; i < 300; i++) {
            String doc = RandomJson.document(r);
            bodies.add(("{\"model\":\"m\",\"max_tokens\":1.50e2,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
                    + "\"text\":\"Primary working directory: /home/u/p\\nToday's date is 2026-11-29.\"}]}],\"extra\":" + doc
                    + ",\"more\":[" + doc + "," + i + "]}").getBytes(UTF_8));
        }
        StringBuilder out = new StringBuilder();
        for (byte[] body : bodies) {
            for (KeyRules rules : ruleSets) {
                RequestKey key = KEYER.key(body, body.length, rules, CONTEXT);
                out.append(key.keyHex()).append(' ').append(key.anchorHex()).append(' ').append(key.bindings())
                        .append(' ').append(key.substituted()).append(' ').append(key.reason());
                for (PromptPrefix p : PromptPrefix.of(body, key)) {
                    out.append(' ').append(p.hash()).append('/').append(p.bytes());
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** Prints the values to pin (run on the code whose keys are the reference). */
    public static void main(String[] args) throws Exception {
        for (String name : CAPTURES) {
            byte[] body = Captures.body(name);
            RequestKey key = KEYER.key(body, body.length, KeyRules.defaults(), CONTEXT);
            System.out.printf("        {\"%s\", \"%s\"},%n", key.keyHex(), key.anchorHex());
        }
        String all = everything();
        System.out.println(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(all.getBytes(UTF_8))));
        System.out.println(all.lines().filter(l -> !l.startsWith("null")).count() + " cacheable of " + all.lines().count());
    }
}
