package dev.sluice.day;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cache.agent.StudyWorkspace;
import dev.sluice.testing.ClaudeCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The team-day experiment (docs/bench/team-day.md). Not part of the test suite (its name matches no surefire
 * pattern); run it with {@code bench/team-day.sh}, or
 * {@code ./mvnw -o test -Dtest=TeamDayRun -Dsurefire.failIfNoSpecifiedTests=false}.
 *
 * <p>For each layout (shared paths, own homes) the day runs twice with the real CLI, through Sluice and
 * direct; the table, the naive-cache estimates and every run's log go to {@code target/team-day/}. The verdict
 * is FAIL when any served hit differs from the upstream's answer to that exact request, or when the oracle
 * disagrees with the upstream. {@code -Dday.layouts=SHARED} or {@code OWN_HOMES} runs one layout only;
 * {@code -Dday.steps=N} the first N steps; {@code -Dday.gap-minutes=M} runs the upstream's prompt cache on a day clock
 * with steps M minutes apart (see {@link ScenarioClock}); {@code -Dday.assert=false} writes the verdict without failing the
 * test (the build reruns a failed test once, which would repeat the whole day).
 */
class TeamDayRun {

    @Test
    void teamDay() throws Exception {
        Path bin = ClaudeCli.require();
        Path out = Path.of("target", "team-day");
        Files.createDirectories(out);
        List<DayResult> results = new ArrayList<>();
        java.time.Duration gap = java.time.Duration.ofMinutes(Integer.getInteger("day.gap-minutes", 0));
        String clock = new ScenarioClock(gap, Scenario.steps()).describe();
        try (Oracle oracle = new Oracle()) {
            for (String name : System.getProperty("day.layouts", "SHARED,OWN_HOMES").split(",")) {
                Team.Layout layout = Team.Layout.valueOf(name.strip());
                for (DayRun.Via via : DayRun.Via.values()) {
                    Path root = Files.createTempDirectory("team-day-");
                    try {
                        DayRun run = new DayRun(root, layout, via, bin, oracle, gap);
                        DayResult r = run.run();
                        results.add(r);
                        Files.write(out.resolve("log-" + layout + "-" + via + ".txt"), run.log());
                        Files.write(out.resolve("wrong-" + layout + "-" + via + ".txt"), r.wrongDetails());
                        Files.writeString(out.resolve("calls-" + layout + "-" + via + ".csv"), DayReport.calls(r));
                    } finally {
                        StudyWorkspace.deleteTree(root);
                    }
                }
            }
        }
        StringBuilder report = new StringBuilder("Provider prompt-cache clock: " + clock + ".\n\n").append(DayReport.table(results)).append('\n').append(DayReport.ablations(results));
        for (Team.Layout layout : Team.Layout.values()) {
            String steps = DayReport.steps(results, layout);
            if (!steps.isEmpty()) {
                report.append("\n").append(layout).append(", step by step:\n\n").append(steps);
            }
        }
        Files.writeString(out.resolve("results.md"), report.toString());
        System.out.println(report);
        List<String> failures = new ArrayList<>();
        for (DayResult r : results) {
            if (r.wrongAnswers() != 0 || r.missesDisagreeing() != 0) {
                failures.add(r.layout() + " " + r.via() + ": " + r.wrongAnswers() + " wrong answers, " + r.missesDisagreeing()
                        + " oracle disagreements");
            }
        }
        Files.writeString(out.resolve("verdict.txt"), failures.isEmpty() ? "PASS\n" : "FAIL\n" + String.join("\n", failures) + "\n");
        if (!"false".equals(System.getProperty("day.assert"))) {
            assertThat(failures).as("see target/team-day/wrong-*.txt").isEmpty();
        }
    }
}
