package dev.sluice.settle;

import dev.sluice.wire.StreamUsage;
import dev.sluice.pipeline.Cost;
import dev.sluice.wire.Usage;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per pricing case. Sonnet 4.5: in 3, out 15, 5m write 3.75, 1h write 6, read 0.30 USD per million tokens. */
class MeterTest {

    private static final String SONNET = "claude-sonnet-4-5-20250929";
    private static final Meter METER = new Meter(PriceTable.builtIn());

    private static Usage usage(long in, long out, long creation, long read, long w5m, long w1h) {
        return new Usage(in, out, creation, read, w5m, w1h, 0, 0);
    }

    @Test
    void plainInputAndOutput() {
        Cost c = METER.cost(SONNET, Usage.of(1_000, 500)); // 1000·3 + 500·15 = 10,500 µ$ → 0.0105 USD
        assertThat(c.nanoUsd()).isEqualTo(10_500_000L);
        assertThat(c.usd()).isEqualByComparingTo("0.0105");
        assertThat(c.defaultPriced()).isFalse();
    }

    @Test
    void aBatchResultIsHalfEveryTokenRateButNotTheWebSearchFee() {
        // 1001·3 + 333·15 + 1000·3.75 + 2000·6 + 4000·0.30 = 24,948 µ$ standard; the batch price is half, rounded once.
        Usage u = new Usage(1_001, 333, 3_000, 4_000, 1_000, 2_000, 0, 0);
        assertThat(METER.cost(SONNET, u).nanoUsd()).isEqualTo(24_948_000L);
        assertThat(METER.batchCost(SONNET, u).nanoUsd()).isEqualTo(12_474_000L);
        assertThat(METER.batchCost(SONNET, u).providerCacheSavingsNanoUsd()).isEqualTo(METER.cost(SONNET, u).providerCacheSavingsNanoUsd() / 2);
        Usage searches = new Usage(0, 0, 0, 0, 0, 0, 3, 0); // $10 per 1,000 searches, the same in a batch
        assertThat(METER.batchCost(SONNET, searches).nanoUsd()).isEqualTo(METER.cost(SONNET, searches).nanoUsd()).isEqualTo(30_000_000L);
        assertThat(METER.batchCost(SONNET, Usage.of(1, 0)).nanoUsd()).as("1.5 µ$ is 1,500 nano-dollars, exact").isEqualTo(1_500L);
    }

    @Test
    void aCostTooLargeForALongIsHeldAtTheCapNeverAnExceptionOrZero() {
        Usage absurd = new Usage(Long.MAX_VALUE - 1, Long.MAX_VALUE - 1, 0, 0, 0, 0, 0, 0);
        assertThat(METER.cost(SONNET, absurd).nanoUsd()).isEqualTo(Meter.MAX_NANO_USD);
        assertThat(absurd.bounded().outputTokens()).isEqualTo(Usage.MAX_COUNT);
        assertThat(absurd.plus(absurd).inputTokens()).as("sums saturate, never wrap negative").isEqualTo(Long.MAX_VALUE);
        assertThat(absurd.plus(absurd).totalTokens()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void fiveMinuteWritesAtTheFiveMinuteRate() {
        assertThat(METER.cost(SONNET, usage(0, 0, 2_000, 0, 2_000, 0)).nanoUsd()).isEqualTo(7_500_000L); // 2000·3.75
    }

    @Test
    void oneHourWritesAtTheOneHourRate() {
        assertThat(METER.cost(SONNET, usage(0, 0, 2_000, 0, 0, 2_000)).nanoUsd()).isEqualTo(12_000_000L); // 2000·6
    }

    @Test
    void mixedWritesSplitByTheOneHourBreakdown() {
        // 1000·3.75 + 2000·6: the 1h tokens are not also charged as 5m writes.
        assertThat(METER.cost(SONNET, usage(0, 0, 3_000, 0, 1_000, 2_000)).nanoUsd()).isEqualTo(15_750_000L);
    }

    @Test
    void writesWithoutBreakdownAreFiveMinuteWrites() {
        assertThat(METER.cost(SONNET, usage(0, 0, 3_000, 0, 0, 0)).nanoUsd()).isEqualTo(11_250_000L); // 3000·3.75
    }

    @Test
    void cacheReadsAtTheReadRateNeverTheInputRate() {
        Cost c = METER.cost(SONNET, usage(0, 0, 0, 10_000, 0, 0));
        assertThat(c.nanoUsd()).isEqualTo(3_000_000L); // 10000·0.30, not 10000·3
        assertThat(c.providerCacheSavingsNanoUsd()).isEqualTo(27_000_000L); // 10000·(3 − 0.30)
    }

    @Test
    void everythingTogether() {
        Usage u = new Usage(100, 400, 3_000, 50_000, 1_000, 2_000, 2, 1);
        // 100·3 + 400·15 + 50000·0.3 + 1000·3.75 + 2000·6 = 300 + 6000 + 15000 + 3750 + 12000 = 37,050 µ$; + 2·$0.01
        assertThat(METER.cost(SONNET, u).nanoUsd()).isEqualTo(37_050_000L + 20_000_000L);
    }

    @Test
    void streamWhoseDeltasRepeatCumulativeCountsIsNotDoubled() {
        StreamUsage s = new StreamUsage();
        feed(s, "message_start", "{\"type\":\"message_start\",\"message\":{\"model\":\"" + SONNET + "\",\"usage\":"
                + "{\"input_tokens\":100,\"cache_read_input_tokens\":5000,\"cache_creation_input_tokens\":0,\"output_tokens\":1}}}");
        feed(s, "message_delta", "{\"type\":\"message_delta\",\"delta\":{},\"usage\":{\"output_tokens\":200}}");
        feed(s, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":"
                + "{\"input_tokens\":100,\"cache_read_input_tokens\":5000,\"output_tokens\":350}}");
        assertThat(s.usage()).isEqualTo(usage(100, 350, 0, 5_000, 0, 0));
        // 100·3 + 350·15 + 5000·0.3 = 300 + 5250 + 1500
        assertThat(METER.cost(s.servedModel(), s.usage()).nanoUsd()).isEqualTo(7_050_000L);
    }

    @Test
    void bedrockVertexAndPlainIdsPriceAlike() {
        long expected = METER.cost(SONNET, Usage.of(1_000, 1_000)).nanoUsd();
        for (String id : new String[] {"us.anthropic.claude-sonnet-4-5-20250929-v1:0", "anthropic.claude-sonnet-4-5-20250929-v1:0",
                "arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.anthropic.claude-sonnet-4-5-20250929-v1:0",
                "claude-sonnet-4-5@20250929", "claude-sonnet-4-5", "CLAUDE-SONNET-4-5-20250929"}) {
            Cost c = METER.cost(id, Usage.of(1_000, 1_000));
            assertThat(c.nanoUsd()).as(id).isEqualTo(expected);
            assertThat(c.defaultPriced()).as(id).isFalse();
        }
    }

    @Test
    void unknownModelGetsTheDefaultPriceFlagged() {
        Cost c = METER.cost("acme-llm-9", Usage.of(1_000, 1_000));
        assertThat(c.defaultPriced()).isTrue();
        assertThat(c.nanoUsd()).isEqualTo(30_000_000L); // default 5 + 25 per million
        assertThat(METER.cost(null, Usage.ZERO)).isEqualTo(new Cost(0, 0, true));
    }

    @Test
    void longContextTierAppliesAbovePromptThreshold() {
        // 150k input + 60k cache reads = 210k prompt tokens > 200k: 150000·6 + 60000·0.6 + 1000·22.5
        Usage big = usage(150_000, 1_000, 0, 60_000, 0, 0);
        assertThat(METER.cost(SONNET, big).nanoUsd()).isEqualTo(958_500_000L);
        Usage under = usage(150_000, 1_000, 0, 50_000, 0, 0); // exactly 200k: base tier
        assertThat(METER.cost(SONNET, under).nanoUsd()).isEqualTo((450_000L + 15_000 + 15_000) * 1_000);
    }

    @Test
    void multiplierScalesEveryRate() {
        Meter discounted = new Meter(PriceTable.load(null, new BigDecimal("0.9")));
        assertThat(discounted.cost(SONNET, Usage.of(1_000, 500)).nanoUsd()).isEqualTo(9_450_000L);
    }

    @Test
    void roundsOncePerRecordHalfEven(@TempDir Path dir) throws Exception {
        Path prices = dir.resolve("prices.yaml");
        Files.writeString(prices, "models:\n  tiny: {input: 0.0005, output: 0.0015, cache_read: 0.0005}\n",
                StandardCharsets.UTF_8);
        Meter m = new Meter(PriceTable.load(prices, null));
        assertThat(m.cost("tiny", Usage.of(3, 0)).nanoUsd()).isEqualTo(2); // 1.5 → 2, not 3 × round(0.5) = 0
        assertThat(m.cost("tiny", Usage.of(5, 0)).nanoUsd()).isEqualTo(2); // 2.5 → 2 (half-even)
        assertThat(m.cost("tiny", Usage.of(1, 1)).nanoUsd()).isEqualTo(2); // 0.5 + 1.5 = 2.0: summed before rounding
    }

    private static void feed(StreamUsage s, String type, String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        s.onEvent(type, b, 0, b.length);
    }
}
