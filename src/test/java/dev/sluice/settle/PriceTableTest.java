package dev.sluice.settle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceTableTest {

    private static final PriceTable TABLE = PriceTable.builtIn();

    @Test
    void normalisesProviderSpellings() {
        assertThat(PriceTable.normalise("us.anthropic.claude-haiku-4-5-20251001-v1:0")).isEqualTo("claude-haiku-4-5-20251001");
        assertThat(PriceTable.normalise("claude-opus-4-1@20250805")).isEqualTo("claude-opus-4-1-20250805");
        assertThat(PriceTable.normalise("claude-opus-4-5@latest")).isEqualTo("claude-opus-4-5");
        assertThat(PriceTable.normalise(" anthropic/Claude-Sonnet-4-6 ")).isEqualTo("claude-sonnet-4-6");
    }

    @Test
    void datedIdsOfUndatedEntriesAndAliasesResolve() {
        assertThat(TABLE.priceFor("claude-opus-4-6-20260205").model()).isEqualTo("claude-opus-4-6");
        assertThat(TABLE.priceFor("claude-opus-4-1").model()).isEqualTo("claude-opus-4-1-20250805");
        assertThat(TABLE.priceFor("claude-opus-5-5").input()).isEqualByComparingTo("4");
        assertThat(TABLE.priceFor("claude-haiku-4-5").cacheRead()).isEqualByComparingTo("0.10");
        assertThat(TABLE.priceFor("claude-opus-4-20250514").output()).isEqualByComparingTo("75");
    }

    /** The older families' "-latest" names: billed at their own rate, not the Opus-level default (6x Haiku 3.5's). */
    @Test
    void latestNamesOfOlderFamiliesResolve() {
        assertThat(TABLE.priceFor("claude-3-5-haiku-latest").model()).isEqualTo("claude-3-5-haiku-20241022");
        assertThat(TABLE.priceFor("claude-3-5-haiku-latest").isDefault()).isFalse();
        assertThat(TABLE.priceFor("claude-3-7-sonnet-latest").model()).isEqualTo("claude-3-7-sonnet-20250219");
        assertThat(TABLE.priceFor("claude-3-5-sonnet-latest").model()).isEqualTo("claude-3-5-sonnet-20241022");
        assertThat(TABLE.priceFor("anthropic.claude-3-haiku-20240307-v1:0").input()).isEqualByComparingTo("0.25");
        assertThat(TABLE.priceFor("claude-3-opus-latest").output()).isEqualByComparingTo("75");
        // OpenAI's cheapest GPT-5 (developers.openai.com/api/docs/models/gpt-5-nano): it was billed at the default, 100x
        assertThat(TABLE.priceFor("gpt-5-nano-2025-08-07").input()).isEqualByComparingTo("0.05");
        assertThat(TABLE.priceFor("gpt-5-nano").cacheRead()).isEqualByComparingTo("0.005");
    }

    @Test
    void unknownIsDefaultAndFlagged() {
        Price p = TABLE.priceFor("Mystery-Model");
        assertThat(p.isDefault()).isTrue();
        assertThat(p.model()).isEqualTo("mystery-model");
        assertThat(p.input()).isEqualByComparingTo("5");
    }

    /**
     * A negotiated rate written under the name clients send (a built-in alias) prices the model in every spelling: the API
     * answers with the dated id, Bedrock and Vertex ids reduce to it. Before, only the family name got the operator's rate,
     * so a stream (priced by the model its message_start names) and a whole answer of the same request billed differently.
     */
    @Test
    void anOverrideUnderAFamilyNamePricesTheDatedIdTheApiAnswersWith(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("negotiated.yaml");
        Files.writeString(f, """
                default: {input: 5, output: 25}
                models:
                  claude-sonnet-4-5: {input: 2.70, output: 13.50}
                  claude-haiku-4-5: {input: 0.9, output: 4.5}
                  claude-haiku-4-5-20251001: {input: 0.8, output: 4}
                """);
        PriceTable t = PriceTable.load(f, BigDecimal.ONE);
        for (String spelling : new String[] {"claude-sonnet-4-5", "claude-sonnet-4-5-20250929",
                "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5@20250929"}) {
            assertThat(t.priceFor(spelling).input()).as(spelling).isEqualByComparingTo("2.70");
            assertThat(t.priceFor(spelling).output()).as(spelling).isEqualByComparingTo("13.50");
        }
        // as a whole: the built-in long-context tier goes with the entry the operator replaced
        assertThat(t.priceFor("claude-sonnet-4-5-20250929").longContext()).isNull();
        // an operator who prices the dated id as well keeps that one for it
        assertThat(t.priceFor("claude-haiku-4-5-20251001").input()).isEqualByComparingTo("0.8");
        assertThat(t.priceFor("claude-haiku-4-5").input()).isEqualByComparingTo("0.9");
    }

    @Test
    void operatorFileReplacesEntriesAddsModelsAndDerivesCacheRates(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("mine.yaml");
        Files.writeString(f, """
                default: {input: 1, output: 2}
                models:
                  claude-sonnet-4-5-20250929: {input: 2.7, output: 13.5}
                  our-finetune: {input: 8, output: 24, web_search_per_request: 0.02}
                aliases:
                  ours: our-finetune
                """);
        PriceTable t = PriceTable.load(f, new BigDecimal("2"));
        Price sonnet = t.priceFor("claude-sonnet-4-5");
        assertThat(sonnet.input()).isEqualByComparingTo("5.4"); // 2.7 × 2
        assertThat(sonnet.cacheWrite5m()).isEqualByComparingTo("6.75"); // 2.7 × 1.25 × 2
        assertThat(sonnet.cacheWrite1h()).isEqualByComparingTo("10.8");
        assertThat(sonnet.cacheRead()).isEqualByComparingTo("0.54");
        assertThat(sonnet.longContext()).isNull(); // the whole entry was replaced
        assertThat(t.priceFor("ours").webSearchPerRequest()).isEqualByComparingTo("0.04");
        assertThat(t.priceFor("claude-haiku-4-5").input()).isEqualByComparingTo("2"); // built-in kept, multiplied
        assertThat(t.priceFor("unknown").output()).isEqualByComparingTo("4");
    }

    @Test
    void invalidFilesNameTheFileKeyAndExpectation(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "models:\n  m: {input: cheap, output: 1}\n");
        assertThatThrownBy(() -> PriceTable.load(f, null)).hasMessageContaining("bad.yaml")
                .hasMessageContaining("models.m.input").hasMessageContaining("expected: a number >= 0");
        Files.writeString(f, "models:\n  m: {input: 1, outptu: 1}\n");
        assertThatThrownBy(() -> PriceTable.load(f, null)).hasMessageContaining("models.m.outptu: unknown key");
        Files.writeString(f, "aliases:\n  x: nowhere\n");
        assertThatThrownBy(() -> PriceTable.load(f, null)).hasMessageContaining("aliases.x");
        assertThatThrownBy(() -> PriceTable.load(dir.resolve("missing.yaml"), null)).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> PriceTable.load(null, BigDecimal.ZERO)).hasMessageContaining("expected: > 0");
    }
}
