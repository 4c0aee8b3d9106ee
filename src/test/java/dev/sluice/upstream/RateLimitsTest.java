package dev.sluice.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

class RateLimitsTest {
    @Test
    void readsTheRequestAndInputTokenFamilies() {
        RateLimits r = RateLimits.from(MultiMap.caseInsensitiveMultiMap()
                .add("anthropic-ratelimit-requests-limit", "50")
                .add("anthropic-ratelimit-requests-remaining", "49")
                .add("anthropic-ratelimit-requests-reset", "2030-01-01T00:00:00Z")
                .add("anthropic-ratelimit-tokens-remaining", "5")
                .add("anthropic-ratelimit-input-tokens-limit", "1000")
                .add("anthropic-ratelimit-input-tokens-remaining", "800")
                .add("anthropic-ratelimit-input-tokens-reset", "2030-01-01T00:00:01Z"));
        assertThat(r).isEqualTo(new RateLimits(50, 49, 1_893_456_000_000L, 1000, 800, 1_893_456_001_000L));
        assertThat(r.exhausted(801, 0)).isTrue();
        assertThat(r.exhausted(800, 0)).isFalse();
        assertThat(r.headroom(0)).isEqualTo(0.8);
        assertThat(r.headroom(1_893_456_001_000L)).as("after the reset").isEqualTo(1.0);
    }

    @Test
    void absentOrGarbledHeadersAreUnknownNotZero() {
        assertThat(RateLimits.from(MultiMap.caseInsensitiveMultiMap())).isSameAs(RateLimits.UNKNOWN);
        RateLimits r = RateLimits.from(MultiMap.caseInsensitiveMultiMap()
                .add("anthropic-ratelimit-requests-remaining", "lots")
                .add("anthropic-ratelimit-requests-reset", "tomorrow"));
        assertThat(r.requestsLeft()).isEqualTo(-1);
        assertThat(r.requestsReset()).isZero();
        assertThat(r.exhausted(1_000_000, 0)).isFalse();
        assertThat(r.headroom(0)).isEqualTo(1.0);
    }

    @Test
    void aResetReadAgainIsTheSameAndANewOneIsReadAfresh() {
        // The last reset read per header is remembered: repeated, changed and garbled values must still read right.
        for (String reset : new String[] {"2030-01-01T00:00:00Z", "2030-01-01T00:00:00Z", "2030-01-01T00:00:02Z",
                "soon", "2030-01-01T00:00:02Z"}) {
            RateLimits r = RateLimits.from(MultiMap.caseInsensitiveMultiMap()
                    .add("anthropic-ratelimit-requests-remaining", "1")
                    .add("anthropic-ratelimit-requests-reset", reset)
                    .add("anthropic-ratelimit-tokens-remaining", "1")
                    .add("anthropic-ratelimit-tokens-reset", "2031-01-01T00:00:00Z"));
            long expected = reset.equals("soon") ? 0 : java.time.Instant.parse(reset).toEpochMilli();
            assertThat(r.requestsReset()).as(reset).isEqualTo(expected);
            assertThat(r.tokensReset()).isEqualTo(1_924_992_000_000L);
        }
    }
}
