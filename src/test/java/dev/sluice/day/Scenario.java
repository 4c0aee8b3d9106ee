package dev.sluice.day;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The team's day, as a fixed list of steps: three bursts of questions (morning, after lunch, before the
 * release) separated by commits. Most questions are asked by two or more developers; some are re-asked
 * after a commit changed the file they are about; some are follow-ups that resume the developer's earlier
 * session. Written out rather than drawn at random so the reader can see what should hit and why.
 */
final class Scenario {

    static final String SUMMARY = "Summarize your last answer in one sentence.";

    /** One step: a commit lands, a developer asks, or a developer follows up on an earlier step's session. */
    sealed interface Step {
        record Commit(String message, Map<String, String> files) implements Step {
        }

        record Ask(String developer, String question) implements Step {
        }

        /** {@code resumes} is the index (in {@link #steps()}) of the Ask whose session is resumed. */
        record FollowUp(String developer, int resumes) implements Step {
        }
    }

    private Scenario() {
    }

    static List<Step> steps() {
        List<Step> s = new ArrayList<>();
        // 09:00 burst
        s.add(new Step.Ask("alice", "Explain calc/arith.py."));             // 0
        s.add(new Step.Ask("bob", "Explain calc/arith.py."));               // 1
        s.add(new Step.Ask("carol", "Where is mean defined?"));             // 2
        s.add(new Step.Ask("alice", "Where is mean defined?"));             // 3
        s.add(new Step.Ask("dave", "Which files mention mean?"));           // 4
        s.add(new Step.Ask("bob", "How many tests are in tests/test_arith.py?")); // 5
        s.add(new Step.Ask("carol", "Explain calc/arith.py."));             // 6
        s.add(new Step.Ask("dave", "Where is mean defined?"));              // 7
        s.add(new Step.FollowUp("alice", 3));                               // 8
        s.add(new Step.FollowUp("carol", 6));                               // 9
        s.add(new Step.FollowUp("bob", 1));                                 // 10
        // lunch: the statistics fix lands
        s.add(new Step.Commit("stats: mean of nothing is 0; add mode", DayRepo.STATS_FIX)); // 11
        s.add(new Step.Ask("alice", "Where is mean defined?"));             // 12
        s.add(new Step.Ask("bob", "Where is mean defined?"));               // 13
        s.add(new Step.Ask("carol", "Explain calc/stats.py."));             // 14
        s.add(new Step.Ask("dave", "Explain calc/stats.py."));              // 15
        s.add(new Step.Ask("bob", "How many tests are in tests/test_stats.py?")); // 16
        s.add(new Step.Ask("alice", "How many tests are in tests/test_stats.py?")); // 17
        s.add(new Step.Ask("dave", "Which files mention mean?"));           // 18
        s.add(new Step.Ask("carol", "Which files mention mean?"));          // 19
        s.add(new Step.FollowUp("dave", 15));                               // 20
        s.add(new Step.FollowUp("carol", 14));                              // 21
        // before the release: the parser changes
        s.add(new Step.Commit("parse: accept semicolons", DayRepo.PARSER_CHANGE)); // 22
        s.add(new Step.Ask("alice", "Where is tokenize defined?"));         // 23
        s.add(new Step.Ask("carol", "Where is tokenize defined?"));         // 24
        s.add(new Step.Ask("bob", "Explain calc/parse.py."));               // 25
        s.add(new Step.Ask("dave", "Explain calc/parse.py."));              // 26
        s.add(new Step.Ask("alice", "Explain calc/arith.py."));             // 27
        s.add(new Step.FollowUp("bob", 25));                                // 28
        return List.copyOf(s);
    }
}
