package dev.sluice.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.pipeline.Attempt;
import dev.sluice.pipeline.AttemptPlan;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Target;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A degrade changes the served model of every target that served the routed one, fallbacks included. */
class DegradedPlanTest {
    private static final Target OPENAI = new Target("openai", "openai", "gpt-4.1");
    private static final Target CLAUDE = new Target("anthropic", "anthropic", "claude-sonnet-4-5");

    private static final AttemptPlan ROUTED = new AttemptPlan() {
        @Override
        public Target first() {
            return OPENAI;
        }

        @Override
        public List<Target> targets() {
            return List.of(OPENAI, CLAUDE);
        }

        @Override
        public Retry next(Exchange ex, Attempt failed) {
            return new Retry(CLAUDE, 0);
        }
    };

    @Test
    void everyTargetOfTheRoutedModelIsListedWithTheCheaperOne() {
        DegradedPlan plan = new DegradedPlan(ROUTED, "claude-sonnet-4-5", "claude-haiku-4-5");
        // Before, only the first target was listed, so a stage that looks for a Claude target on the plan
        // (the OpenAI door's automatic prompt-cache breakpoints) found none under a degrade.
        assertThat(plan.targets()).containsExactly(OPENAI, new Target("anthropic", "anthropic", "claude-haiku-4-5"));
        assertThat(plan.first()).isEqualTo(OPENAI);
        assertThat(plan.next(null, null).target().servedModel()).isEqualTo("claude-haiku-4-5");
    }

    @Test
    void aFallbackThatNamesTheRoutedModelInItsProvidersSpellingIsDegradedToo() {
        Target bedrock = new Target("bedrock", "bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0");
        Target vertex = new Target("vertex", "vertex", "claude-sonnet-4-5@20250929");
        Target other = new Target("bedrock", "bedrock", "us.anthropic.claude-opus-4-1-20250805-v1:0");
        AttemptPlan routed = new AttemptPlan() {
            @Override
            public Target first() {
                return CLAUDE;
            }

            @Override
            public List<Target> targets() {
                return List.of(CLAUDE, bedrock, vertex, other);
            }

            @Override
            public Retry next(Exchange ex, Attempt failed) {
                return new Retry(bedrock, 0);
            }
        };
        DegradedPlan plan = new DegradedPlan(routed, "claude-sonnet-4-5", "claude-haiku-4-5");
        // Before, only a target spelling the model exactly as routed was degraded: the Bedrock fallback served the full
        // model at three times the price under a response that said x-sluice-degraded-from.
        assertThat(plan.next(null, null).target()).isEqualTo(new Target("bedrock", "bedrock", "claude-haiku-4-5"));
        assertThat(plan.targets()).extracting(Target::servedModel)
                .containsExactly("claude-haiku-4-5", "claude-haiku-4-5", "claude-haiku-4-5", "us.anthropic.claude-opus-4-1-20250805-v1:0");
    }
}
