package dev.sluice.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The labelled corpus at the default policy: every positive found, no ordinary code flagged. */
class CorpusTest {

    @Test
    void theCorpusIsLargeAndCoversEveryRule() {
        List<Corpus.Case> cases = Corpus.load();
        assertThat(cases.stream().filter(Corpus.Case::positive).count()).isGreaterThanOrEqualTo(70);
        assertThat(cases.stream().filter(c -> !c.positive()).count()).isGreaterThanOrEqualTo(60);
        java.util.Set<String> covered = new java.util.TreeSet<>();
        cases.forEach(c -> covered.addAll(c.expected()));
        List<String> untested = GuardRules.builtIn().stream().map(Rule::name)
                .filter(r -> !covered.contains(r) && !r.equals("prompt-injection-markers") && !r.equals("prompt-injection-context")).toList();
        assertThat(untested).as("rules without a positive case").isEmpty();
    }

    @Test
    void everyPositiveIsFoundAndNoNegativeIsFlagged() {
        CorpusEvaluation e = CorpusEvaluation.run(new GuardScanner(), Corpus.load());
        assertThat(e.mistakes).isEmpty();
        assertThat(e.falsePositiveRate()).isZero();
    }

    @Test
    void caseHeadersAreChecked() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Corpus.parse("x.txt", "=== a | expekt: jwt\ntext\n"))
                .hasMessageContaining("unknown header part");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Corpus.expand("a", "{{no_such}}"))
                .hasMessageContaining("unknown corpus generator");
    }
}
