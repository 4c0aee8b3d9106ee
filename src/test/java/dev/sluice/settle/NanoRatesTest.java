package dev.sluice.settle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.pipeline.Cost;
import dev.sluice.wire.Usage;
import java.math.BigDecimal;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The long-arithmetic cost equals the BigDecimal formula to the nano-dollar, and steps aside where it cannot. */
class NanoRatesTest {

    private static Price price(String in, String out, String w5m, String w1h, String read, String web) {
        return new Price("m", new BigDecimal(in), new BigDecimal(out), new BigDecimal(w5m), new BigDecimal(w1h),
                new BigDecimal(read), new BigDecimal(web), false);
    }

    private static Meter meter(Price p) {
        return new Meter(PriceTable.of(Map.of("m", p), Map.of(), p));
    }

    @Test
    void wholeNanoRatesCostWhatTheFormulaCostsForManyUsages() {
        SplittableRandom r = new SplittableRandom(37);
        Price[] prices = {price("3", "15", "3.75", "6", "0.30", "0.01"), price("0.8", "4", "1", "1.6", "0.08", "0.01"),
                price("15", "75", "18.75", "30", "1.50", "0"), price("0.001", "0.002", "0", "0", "0", "0.000000001")};
        for (Price p : prices) {
            Meter m = meter(p);
            for (int i = 0; i < 2_000; i++) {
                long creation = r.nextLong(0, 2_000_000);
                long w1h = r.nextLong(0, creation + 1);
                Usage u = new Usage(r.nextLong(0, Usage.MAX_COUNT + 1), r.nextLong(0, 200_000), creation,
                        r.nextLong(0, Usage.MAX_COUNT + 1), creation - w1h, w1h, r.nextLong(0, 50), r.nextLong(0, 5));
                assertThat(NanoRates.of(p).cost(u)).isNotNull();
                assertThat(m.cost("m", u)).isEqualTo(Meter.exact(p, u, BigDecimal.ONE));
            }
        }
    }

    @Test
    void aFractionOfANanoDollarPerTokenIsLeftToTheFormulaAndRoundedThere() {
        Price p = price("3.0001", "15", "3.75", "6", "0.30", "0.01"); // 3,000.1 nano-USD per input token
        Usage u = Usage.of(5, 0); // 15,000.5 nano-USD: half-even to 15,000
        assertThat(NanoRates.of(p).cost(u)).isNull();
        assertThat(meter(p).cost("m", u).nanoUsd()).isEqualTo(15_000L);
    }

    @Test
    void aCostPastALongIsLeftToTheFormulaWhichHoldsItAtTheCeiling() {
        Price p = price("9000000000000000", "0", "0", "0", "0", "0");
        Usage u = Usage.of(Usage.MAX_COUNT, 0);
        assertThat(NanoRates.of(p).cost(u)).isNull();
        Cost c = meter(p).cost("m", u);
        assertThat(c.nanoUsd()).isEqualTo(Meter.MAX_NANO_USD);
        assertThat(c).isEqualTo(Meter.exact(p, u, BigDecimal.ONE));
    }

    @Test
    void aCostAboveTheCeilingWithinALongIsHeldThereAsTheFormulaHoldsIt() {
        Price p = price("100000000", "0", "0", "0", "0", "0"); // 1e11 nano-USD a token
        Usage u = Usage.of(1_000_000, 0); // 1e17 nano-USD > the ceiling of 1e15
        assertThat(NanoRates.of(p).cost(u)).isNotNull();
        assertThat(meter(p).cost("m", u)).isEqualTo(Meter.exact(p, u, BigDecimal.ONE));
        assertThat(meter(p).cost("m", u).nanoUsd()).isEqualTo(Meter.MAX_NANO_USD);
    }
}
