package dev.sluice.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.signin.policy.CanonicalJson;
import dev.sluice.signin.usage.UsageDocument;
import dev.sluice.signin.usage.UsageHeaders;
import dev.sluice.signin.usage.UsageStanding;
import dev.sluice.testing.Http;
import dev.sluice.wire.ApiError;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The protocol's shapes from their small inputs: usage headers and body, the settings checksum, billing tags. */
class RenderersTest {
    static final Instant RESET = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void servedHeadersWarnPastSeventyFiveAndStayBelowOne() {
        Map<String, String> h = UsageHeaders.served(UsageStanding.of(820, 1000, UsageStanding.Period.MONTHLY, RESET,
                UsageStanding.Scope.USER));
        assertThat(h).containsEntry("anthropic-ratelimit-unified-status", "allowed_warning")
                .containsEntry("anthropic-ratelimit-unified-overage-status", "allowed_warning")
                .containsEntry("anthropic-ratelimit-unified-representative-claim", "overage")
                .containsEntry("anthropic-ratelimit-unified-overage-utilization", "0.82")
                .containsEntry("anthropic-ratelimit-unified-overage-surpassed-threshold", "0.75")
                .containsEntry("anthropic-ratelimit-unified-overage-reset", Long.toString(RESET.getEpochSecond()));
        Map<String, String> low = UsageHeaders.served(UsageStanding.of(100, 1000, UsageStanding.Period.DAILY, RESET,
                UsageStanding.Scope.USER));
        assertThat(low).containsEntry("anthropic-ratelimit-unified-status", "allowed")
                .doesNotContainKey("anthropic-ratelimit-unified-overage-surpassed-threshold");
        assertThat(UsageHeaders.served(UsageStanding.of(999, 1000, UsageStanding.Period.DAILY, RESET, UsageStanding.Scope.USER)))
                .containsEntry("anthropic-ratelimit-unified-overage-utilization", "0.99")
                .containsEntry("anthropic-ratelimit-unified-overage-surpassed-threshold", "0.95");
    }

    @Test
    void theLineIsA429WithoutTheClaimAndNamesAGroupPool() {
        ApiError e = UsageHeaders.rejected(UsageStanding.of(1000, 1000, UsageStanding.Period.WEEKLY, RESET,
                UsageStanding.Scope.GROUP_POOL), RESET.minusSeconds(37_800), "ask platform");
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.type()).isEqualTo("billing_error");
        assertThat(e.getMessage()).contains("resets Dec 1").contains("ask platform");
        assertThat(e.headers()).containsEntry("retry-after", "37800")
                .containsEntry("anthropic-ratelimit-unified-status", "rejected")
                .containsEntry("anthropic-ratelimit-unified-overage-period", "monthly")
                .containsEntry("anthropic-ratelimit-unified-overage-scope", "group_pool")
                .containsEntry("anthropic-ratelimit-unified-overage-disabled-reason", "org_spend_cap_reached")
                .doesNotContainKey("anthropic-ratelimit-unified-representative-claim")
                .doesNotContainKey("anthropic-ratelimit-unified-overage-status");
        ApiError closed = UsageHeaders.rejected(UsageStanding.unreadable(), RESET, "x");
        assertThat(closed.headers()).containsExactly(Map.entry("anthropic-ratelimit-unified-overage-disabled-reason", "fetch_error"));
    }

    @Test
    void usageBodyAgreesWithTheHeadersToTheSecond() {
        JsonNode capped = UsageDocument.capped(UsageStanding.of(271_400_000_000L, 500_000_000_000L, UsageStanding.Period.MONTHLY,
                RESET, UsageStanding.Scope.USER));
        assertThat(capped.at("/extra_usage/monthly_limit").asLong()).isEqualTo(50_000);
        assertThat(capped.at("/extra_usage/used_credits").asLong()).isEqualTo(27_140);
        assertThat(capped.at("/extra_usage/utilization").asLong()).isEqualTo(54);
        assertThat(capped.at("/limits/0/resets_at").asText()).isEqualTo("2026-12-01T00:00:00.000Z");
        assertThat(Instant.parse(capped.at("/limits/0/resets_at").asText()).getEpochSecond()).isEqualTo(RESET.getEpochSecond());
        JsonNode free = UsageDocument.uncapped(new UsageDocument.Uncapped(12_400_000_000L, 1_000_000_000L, 5_000_000_000L));
        assertThat(free.get("limits")).isEmpty();
        assertThat(free.at("/extra_usage/monthly_limit").isNull()).isTrue();
        assertThat(free.at("/extra_usage/daily/used_credits").asLong()).isEqualTo(100);
        assertThat(free.at("/extra_usage/weekly/limit").isNull()).isTrue();
    }

    @Test
    void checksumSortsKeysAtEveryLevelWithoutWhitespace() throws Exception {
        JsonNode a = Http.JSON.readTree("{\"b\": {\"z\": 1, \"a\": [true, null, 2.50]}, \"a\": \"x\\ny\"}");
        assertThat(CanonicalJson.write(a)).isEqualTo("{\"a\":\"x\\ny\",\"b\":{\"a\":[true,null,2.5],\"z\":1}}");
        assertThat(CanonicalJson.checksum(a)).startsWith("sha256:").hasSize(7 + 64);
    }
}
