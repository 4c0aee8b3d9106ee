package dev.sluice.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Small pure pieces: tokenizer, filler words, fault syntax, option validation. */
class UnitsTest {

    @Test
    void tokenizerIsCeilOfUtf8BytesOverFour() {
        assertThat(Tokenizer.count("")).isZero();
        assertThat(Tokenizer.count("abcd")).isEqualTo(1);
        assertThat(Tokenizer.count("abcde")).isEqualTo(2);
        assertThat(Tokenizer.count("é→")).isEqualTo(2); // 2 + 3 bytes
        assertThat(Tokenizer.count("😀")).isEqualTo(1); // 4 bytes
        assertThat(Tokenizer.pieces("abcdefghi")).containsExactly("abcd", "efgh", "i");
        assertThat(Tokenizer.pieces("a→b→")).containsExactly("a→", "b→");
    }

    @Test
    void fillerWordsAreOneTokenEach() {
        var words = FillerText.words(30, false, 3);
        assertThat(words).hasSize(30).allSatisfy(word -> assertThat(Tokenizer.count(word)).isEqualTo(1));
        assertThat(Tokenizer.count(String.join("", words))).isEqualTo(30);
        assertThat(words.getFirst()).doesNotStartWith(" ");
        assertThat(FillerText.words(1, true, 0).getFirst()).startsWith(" ");
    }

    @Test
    void faultSyntax() {
        assertThat(FaultPlan.parse(null)).isEqualTo(FaultPlan.NONE);
        assertThat(FaultPlan.parse("none")).isEqualTo(FaultPlan.NONE);
        assertThat(FaultPlan.parse("429").status()).isEqualTo(429);
        assertThat(FaultPlan.parse("reset").reset()).isTrue();
        assertThat(FaultPlan.parse("slow:250, cut:7")).isEqualTo(new FaultPlan(250, false, 0, 7, -1));
        assertThat(FaultPlan.parse("error-event:3").errorAfterEvents()).isEqualTo(3);
        assertThatThrownBy(() -> FaultPlan.parse("404")).hasMessageContaining("'404'");
        assertThatThrownBy(() -> FaultPlan.parse("cut")).hasMessageContaining("cut");
        assertThatThrownBy(() -> FaultPlan.parse("slow:-5")).hasMessageContaining("-5");
        assertThatThrownBy(() -> FaultPlan.parse("reset:1")).hasMessageContaining("reset:1");
    }

    @Test
    void optionsValidateWithMessagesNamingTheValue() {
        SimOptions defaults = SimOptions.defaults();
        assertThat(defaults.host()).isEqualTo("127.0.0.1");
        assertThat(defaults.port()).isZero();
        assertThat(defaults.defaultOutputTokens()).isEqualTo(40);
        assertThat(defaults.minCacheableTokens()).isEqualTo(1024);
        assertThat(defaults.instances()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(defaults.withTokensPerSecond(80).tokensPerSecond()).isEqualTo(80);
        assertThat(defaults.withDefaultFault(" ").defaultFault()).isNull();
        assertThatThrownBy(() -> defaults.withPort(70_000)).hasMessageContaining("70000");
        assertThatThrownBy(() -> defaults.withInstances(0)).hasMessageContaining("instances: 0");
        assertThatThrownBy(() -> defaults.withDefaultFault("boom")).hasMessageContaining("boom");
    }
}
