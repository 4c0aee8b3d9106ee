package dev.sluice.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** TTL behaviour of {@link PromptCache}, on a fake clock. */
class PromptCacheExpiryTest {

    private final AtomicLong nanos = new AtomicLong();
    private final Ticker ticker = nanos::get;
    private final PromptCache cache = new PromptCache(10, ticker);

    private static PromptLayout layout(String ttl) {
        String body = """
                {"model":"m","max_tokens":1,"messages":[{"role":"user","content":[
                  {"type":"text","text":"%s","cache_control":{"type":"ephemeral","ttl":"%s"}}]}]}"""
                .formatted("x".repeat(400), ttl);
        return PromptLayout.of(MessagesRequest.parse(body.getBytes(java.nio.charset.StandardCharsets.UTF_8), true));
    }

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    @Test
    void fiveMinuteEntriesExpireAndReadsRefreshThem() {
        assertThat(cache.account("k", layout("5m")).ephemeral5mInputTokens()).isEqualTo(100);
        advance(Duration.ofMinutes(4));
        assertThat(cache.account("k", layout("5m")).cacheReadInputTokens()).isEqualTo(100); // refreshes
        advance(Duration.ofMinutes(4));
        assertThat(cache.account("k", layout("5m")).cacheReadInputTokens()).isEqualTo(100);
        advance(Duration.ofMinutes(6));
        CacheUsage expired = cache.account("k", layout("5m"));
        assertThat(expired.cacheReadInputTokens()).isZero();
        assertThat(expired.ephemeral5mInputTokens()).isEqualTo(100);
    }

    @Test
    void oneHourEntriesOutliveFiveMinutes() {
        assertThat(cache.account("k", layout("1h")).ephemeral1hInputTokens()).isEqualTo(100);
        advance(Duration.ofMinutes(50));
        assertThat(cache.account("k", layout("1h")).cacheReadInputTokens()).isEqualTo(100);
        advance(Duration.ofMinutes(61));
        assertThat(cache.account("k", layout("1h")).cacheReadInputTokens()).isZero();
    }
}
