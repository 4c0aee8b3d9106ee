package dev.sluice.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyBalancerTest {
    private static final long NOW = 1_700_000_000_000L;
    private final UpstreamSpec spec = new UpstreamSpec("up", "anthropic", "http", "127.0.0.1", 1, "",
            List.of(new UpstreamKey("a", "1"), new UpstreamKey("b", "2"), new UpstreamKey("c", "3")), 10, null);
    private final KeyStates states = new KeyStates();
    private final KeyBalancer balancer = new KeyBalancer(states);

    private String choose(Map<String, Integer> weights, Set<String> tried, String preferred, int hash) {
        return balancer.choose(spec, List.of(), weights, tried, preferred, 100, hash, NOW).alias();
    }

    @Test
    void idleKeysAreChosenByTheConversationsHashTheSameWayEveryTime() {
        assertThat(choose(Map.of(), Set.of(), null, 0)).isEqualTo("a");
        assertThat(choose(Map.of(), Set.of(), null, 1)).isEqualTo("b");
        assertThat(choose(Map.of(), Set.of(), null, 5)).isEqualTo("c");
        assertThat(choose(Map.of(), Set.of(), null, -1)).isEqualTo("c");
    }

    @Test
    void theKeyWithFewestRequestsInFlightPerWeightWins() {
        states.of("up", "a").started();
        states.of("up", "a").started();
        states.of("up", "b").started();
        assertThat(choose(Map.of(), Set.of(), null, 0)).isEqualTo("c");
        states.of("up", "c").started();
        states.of("up", "c").started();
        // a: 3/1, b: 2/1, c: 3/4 with weight 4.
        assertThat(choose(Map.of("c", 4), Set.of(), null, 0)).isEqualTo("c");
        assertThat(choose(Map.of(), Set.of(), null, 0)).isEqualTo("b");
    }

    @Test
    void aConversationKeepsItsKeyWhileItIsUsableEvenWhenBusier() {
        states.of("up", "b").started();
        states.of("up", "b").started();
        assertThat(choose(Map.of(), Set.of(), "b", 0)).isEqualTo("b");
        states.of("up", "b").coolUntil(NOW + 1_000);
        assertThat(choose(Map.of(), Set.of(), "b", 0)).isEqualTo("a");
    }

    @Test
    void keysOutOfRequestsOrTokensByTheUpstreamsOwnHeadersAreLeftOutUntilTheirReset() {
        states.of("up", "a").observe(RateLimits.from(limits(4000, 0, 100_000, 90_000, NOW + 5_000)));
        states.of("up", "b").observe(RateLimits.from(limits(4000, 3000, 100_000, 50, NOW + 5_000)));
        assertThat(choose(Map.of(), Set.of(), null, 0)).isEqualTo("c");
        assertThat(balancer.choose(spec, List.of(), Map.of(), Set.of(), null, 100, 0, NOW + 5_000).alias()).isEqualTo("a");
    }

    @Test
    void keysCloseToTheirLimitGetFewerNewConversations() {
        states.of("up", "a").observe(RateLimits.from(limits(1000, 100, 1_000_000, 1_000_000, NOW + 60_000)));
        // a has 10% of its requests left: its score is ten times b's and c's.
        assertThat(choose(Map.of(), Set.of(), null, 0)).isIn("b", "c");
    }

    @Test
    void triedKeysArePassedOverUntilNothingElseIsLeftAndThePoolIsObeyed() {
        assertThat(choose(Map.of(), Set.of("a"), null, 0)).isEqualTo("b");
        assertThat(choose(Map.of(), Set.of("a", "b", "c"), null, 0)).isEqualTo("a");
        assertThat(balancer.choose(spec, List.of("c"), Map.of(), Set.of(), null, 100, 0, NOW).alias()).isEqualTo("c");
    }

    @Test
    void whenEveryKeyWaitsTheOneReadySoonestIsChosen() {
        states.of("up", "a").coolUntil(NOW + 3_000);
        states.of("up", "b").coolUntil(NOW + 1_000);
        states.of("up", "c").coolUntil(NOW + 2_000);
        assertThat(choose(Map.of(), Set.of(), null, 0)).isEqualTo("b");
        assertThat(balancer.anyUsable(spec, List.of(), 100, NOW)).isFalse();
        assertThat(balancer.availableAt(spec, List.of(), 100, NOW)).isEqualTo(NOW + 1_000);
    }

    private static MultiMap limits(long reqLimit, long reqLeft, long tokLimit, long tokLeft, long reset) {
        String at = Instant.ofEpochMilli(reset).toString();
        return MultiMap.caseInsensitiveMultiMap()
                .add("anthropic-ratelimit-requests-limit", Long.toString(reqLimit))
                .add("anthropic-ratelimit-requests-remaining", Long.toString(reqLeft))
                .add("anthropic-ratelimit-requests-reset", at)
                .add("anthropic-ratelimit-input-tokens-limit", Long.toString(tokLimit))
                .add("anthropic-ratelimit-input-tokens-remaining", Long.toString(tokLeft))
                .add("anthropic-ratelimit-input-tokens-reset", at);
    }
}
