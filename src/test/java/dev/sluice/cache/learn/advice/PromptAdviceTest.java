package dev.sluice.cache.learn.advice;

import static dev.sluice.cache.learn.ShapeBuilder.shape;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cache.learn.capture.CaptureFiles;
import dev.sluice.cache.learn.capture.Shape;
import dev.sluice.settle.Meter;
import dev.sluice.settle.PriceTable;
import dev.sluice.testing.CliRun;
import dev.sluice.wire.Usage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptAdviceTest {
    private static final Meter METER = new Meter(PriceTable.builtIn());

    private static PromptAdvice.Report advise(Shape... shapes) {
        return PromptAdvice.analyse(new CaptureFiles.Capture(List.of(shapes), List.of(), 0, false), METER, 20);
    }

    @Test
    void aPrefixReReadBetweenFiveMinutesAndAnHourPaysForTheHourTtl() {
        Shape.Breakpoint system = new Shape.Breakpoint(1, "5m");
        PromptAdvice.Report slow = advise(shape("a").at(0).breakpoints(system).build(), shape("b").at(20).newest("q2").breakpoints(system).build(),
                shape("c").at(40).newest("q3").breakpoints(system).build());
        assertThat(slow.ttl()).hasSize(1);
        assertThat(slow.ttl().getFirst().within1h()).isEqualTo(2);
        assertThat(slow.ttl().getFirst().oneHourPays()).isTrue();
        assertThat(slow.ttl().getFirst().nanoUsdSavedBy1h()).isPositive();

        PromptAdvice.Report fast = advise(shape("a").at(0).breakpoints(system).build(), shape("b").at(2).newest("q2").breakpoints(system).build());
        assertThat(fast.ttl()).hasSize(1);
        assertThat(fast.ttl().getFirst().oneHourPays()).isFalse();
    }

    @Test
    void aBreakpointAtTheEndOfASharedEarlierTurnIsAdvisedWithItsDollars() {
        Shape.Breakpoint tools = new Shape.Breakpoint(0, "5m");
        Shape a = shape("a").at(0).turns("read cart.py").newest("q1").breakpoints(tools).build();
        Shape b = shape("b").at(1).turns("read cart.py").newest("q2").breakpoints(tools).build();
        PromptAdvice.Report r = advise(a, b);
        assertThat(r.upstreamRequests()).isEqualTo(2);
        assertThat(r.breakpoints()).hasSize(1);
        PromptAdvice.BreakpointAdvice adv = r.breakpoints().getFirst();
        assertThat(adv.where()).isEqualTo("end of message 1 (of 2)");
        assertThat(adv.requests()).isEqualTo(1);
        // builder: 4000 bytes of tools, 8000 of system, 2000 per turn; tokens shared out of in = bytes / 4
        long in = b.inputTokens();
        long total = b.raw().prefixBytes().getLast();
        long gained = in * 14_000 / total - in * 4_000 / total;
        assertThat(adv.tokensGained()).isEqualTo(gained);
        long perMillion = METER.cost("claude-sonnet-4-5", Usage.of(1_000_000, 0)).nanoUsd();
        assertThat(adv.nanoUsdSaved()).isEqualTo(Math.round((0.9 * gained - 0.25 * (in * 14_000 / total)) * perMillion / 1_000_000.0));

        Shape.Breakpoint turn = new Shape.Breakpoint(2, "5m");
        PromptAdvice.Report marked = advise(shape("a").at(0).turns("read cart.py").newest("q1").breakpoints(turn).build(),
                shape("b").at(1).turns("read cart.py").newest("q2").breakpoints(turn).build());
        assertThat(marked.breakpoints()).as("already marked there: nothing to advise").isEmpty();

        PromptAdvice.Report late = advise(a, shape("b").at(9).turns("read cart.py").newest("q2").breakpoints(tools).build());
        assertThat(late.breakpoints()).as("beyond the 5-minute TTL nothing is shared").isEmpty();
    }

    @Test
    void gatewayHitsNeverReachTheProviderAndDoNotCount() {
        Shape.Breakpoint system = new Shape.Breakpoint(1, "5m");
        PromptAdvice.Report r = advise(shape("a").at(0).breakpoints(system).build(), shape("b").at(20).outcome("hit").breakpoints(system).build());
        assertThat(r.upstreamRequests()).isEqualTo(1);
        assertThat(r.ttl()).as("a prefix seen once is not advice").isEmpty();
    }

    @Test
    void theCliAdvisesFromTheTeamDay() throws Exception {
        String day = Path.of(getClass().getResource("/cache/learn/team-day.jsonl").toURI()).toString();
        CliRun run = CliRun.of("cache", "advice", "--capture", day, "--since", "90d");
        assertThat(run.code()).isZero();
        String out = run.out();
        // Claude Code marks tools, system and the newest message, so the team day needs no new breakpoint; the
        // developers' system prompts differ (home paths), so each one's prefix is re-read on its own.
        assertThat(out).contains("192 requests went upstream").contains("claude-sonnet-4-5")
                .contains("(no breakpoint that would pay)");
        assertThat(out.lines().filter(l -> l.contains("claude-sonnet-4-5")).count()).isGreaterThanOrEqualTo(4);
    }
}
