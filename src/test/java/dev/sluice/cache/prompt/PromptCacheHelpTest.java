package dev.sluice.cache.prompt;

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
import dev.sluice.settle.Meter;
import dev.sluice.settle.PriceTable;
import dev.sluice.wire.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptCacheHelpTest {
    static final RequestKeyer KEYER = new RequestKeyer(KeySecret.fixed("t"));

    static RequestKey key(byte[] body) {
        return KEYER.key(body, body.length, KeyRules.defaults(), List.of());
    }

    static List<PromptPrefix> prefixes(byte[] body) {
        return PromptPrefix.of(body, key(body));
    }

    @Test
    void prefixesKeepTheirIdentityAcrossTurnsAndMovingMarkers() throws Exception {
        List<PromptPrefix> t2 = prefixes(Captures.body("alice-turn2"));
        List<PromptPrefix> t3 = prefixes(Captures.body("alice-turn3"));
        assertThat(t3).extracting(p -> p.breakpoint().section()).containsExactly("system", "system", "messages");
        // the system prefixes are the same in every turn: that is what the provider re-reads
        assertThat(t3.get(0).hash()).isEqualTo(t2.get(0).hash());
        assertThat(t3.get(1).hash()).isEqualTo(t2.get(1).hash());
        assertThat(t3.get(2).hash()).isNotEqualTo(t2.get(2).hash());
        assertThat(t3.get(2).bytes()).isGreaterThan(t3.get(1).bytes());
        // Bob's system prompt holds his memory path: the provider cannot share Alice's prefix with him
        assertThat(prefixes(Captures.body("bob-turn3")).get(1).hash()).isNotEqualTo(t3.get(1).hash());
        // a marker added elsewhere does not change a prefix
        ObjectNode marked = (ObjectNode) Json.MAPPER.readTree(Captures.body("alice-turn3"));
        ((ObjectNode) marked.get("tools").get(0)).putObject("cache_control").put("type", "ephemeral");
        byte[] markedBody = Json.MAPPER.writeValueAsString(marked).replace("\\uD83E\\uDD16", "🤖").getBytes(UTF_8);
        List<PromptPrefix> withToolMarker = prefixes(markedBody);
        assertThat(withToolMarker.getFirst().breakpoint().section()).isEqualTo("tools");
        assertThat(withToolMarker.get(3).hash()).isEqualTo(t3.get(2).hash());
        assertThat(PromptPrefix.longest(Captures.body("alice-turn3"), key(Captures.body("alice-turn3")))).isEqualTo(t3.get(2));
    }

    @Test
    void statisticsTellWhenAOneHourTtlPaysOff() {
        PrefixStats stats = new PrefixStats(1000);
        long min = 60_000;
        for (long t : new long[] {0, 10 * min, 20 * min, 40 * min}) {
            stats.observe("slow-reuse", "claude-sonnet-4-5-20250929", 20_000, t);
        }
        for (long t : new long[] {0, min, 2 * min, 3 * min}) {
            stats.observe("fast-reuse", "claude-sonnet-4-5-20250929", 20_000, t);
        }
        stats.observe("once", "claude-sonnet-4-5-20250929", 20_000, 0);
        assertThat(stats.oneHourPays("slow-reuse")).isTrue();
        assertThat(stats.oneHourPays("fast-reuse")).isFalse();
        assertThat(stats.oneHourPays("once")).isFalse();
        List<PrefixStats.Report> report = stats.report(new Meter(PriceTable.builtIn()), 10);
        PrefixStats.Report slow = report.getFirst();
        assertThat(slow.prefix()).isEqualTo("slow-reuse");
        assertThat(slow.within1h()).isEqualTo(3);
        // 5 minutes: four writes of 20k tokens at $3.75/M = $0.30; 1 hour: one write at $6/M plus three reads at $0.30/M
        assertThat(slow.nanoUsd5m()).isEqualTo(300_000_000L);
        assertThat(slow.nanoUsd1h()).isEqualTo(138_000_000L);
        assertThat(slow.oneHourPays()).isTrue();
    }

    @Test
    void upgradesBreakpointsTo1hWithoutChangingAnythingElse() throws Exception {
        byte[] original = Captures.body("alice-turn3");
        List<PromptPrefix> prefixes = prefixes(original);
        RequestBody body = RequestBody.of(original);
        String systemPrefix = prefixes.get(1).hash();
        int changed = TtlUpgrade.apply(body, prefixes, p -> p.hash().equals(systemPrefix));
        assertThat(changed).isEqualTo(2);
        JsonNode edited = Json.MAPPER.readTree(body.bytes().getBytes());
        assertThat(edited.get("system").get(1).get("cache_control").get("ttl").asText()).isEqualTo("1h");
        assertThat(edited.get("system").get(2).get("cache_control").get("ttl").asText()).isEqualTo("1h");
        assertThat(edited.get("messages").get(5).get("content").get(0).get("cache_control").has("ttl"))
                .as("a later breakpoint keeps 5 minutes: 1-hour ones must come first").isFalse();
        byte[] editedBytes = body.bytes().getBytes();
        assertThat(key(editedBytes).keyHex()).as("the response cache key ignores markers").isEqualTo(key(original).keyHex());
        assertThat(prefixes(editedBytes).get(1).hash()).isEqualTo(systemPrefix);
        // an explicit 5m value is replaced in place
        String explicit = new String(editedBytes, UTF_8).replace("{\"type\":\"ephemeral\"}", "{\"type\":\"ephemeral\",\"ttl\":\"5m\"}");
        RequestBody again = RequestBody.of(explicit);
        List<PromptPrefix> p2 = prefixes(explicit.getBytes(UTF_8));
        assertThat(TtlUpgrade.apply(again, p2, p -> true)).isEqualTo(1);
        List<String> ttls = new ArrayList<>();
        Json.MAPPER.readTree(again.bytes().getBytes()).findValues("cache_control").forEach(c -> ttls.add(c.get("ttl").asText()));
        assertThat(ttls).containsOnly("1h");
    }
}
