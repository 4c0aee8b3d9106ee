package dev.sluice.sim.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The deterministic coding agent. It recognizes five question families and plays each as a short tool loop
 * on the request's workspace:
 * <pre>
 *   "Explain FILE."                         Read FILE                      -> lines, functions, first line
 *   "Where is NAME defined?"                Bash grep "def NAME(" -> Read  -> file:line, signature, return
 *   "Which files mention NAME?"             Bash grep -l NAME              -> the list
 *   "How many tests are in FILE?"           Bash grep -c "def test_"       -> the count
 *   "Summarize your last answer in one sentence."  (no tool)              -> first sentence of the last answer
 * </pre>
 * Everything it says is computed from {@link AgentRequest}: the question, the turn, the tool results and the
 * workspace path (written into answers as a model would). Ids and signatures are seeded from the same
 * content, so the answer to a request never varies; only the message id and signatures differ from another
 * request, as they do on the real API.
 */
public final class AgentScript {

    private static final Pattern EXPLAIN = Pattern.compile("(?i)explain ([\\w./-]+?)\\.?");
    private static final Pattern DEFINED = Pattern.compile("(?i)where is (\\w+) defined\\??");
    private static final Pattern MENTIONS = Pattern.compile("(?i)which files mention (\\w+)\\??");
    private static final Pattern TESTS = Pattern.compile("(?i)how many tests are in ([\\w./-]+?)\\??");
    private static final Pattern SUMMARY = Pattern.compile("(?i)summarize your last answer in one sentence\\.?");
    static final String HELP = "I can explain a file, find where a function is defined, list the files that mention a name,"
            + " count the tests in a file, or summarize my last answer.";

    private AgentScript() {
    }

    /** The answer to a parsed Messages request body. */
    public static AgentAnswer answer(JsonNode request) {
        AgentRequest r = AgentRequest.of(request);
        SeededIds ids = new SeededIds(r.seed(request.path("model").asText("")));
        List<AgentBlock> blocks = r.workspace() == null ? List.of(new AgentBlock.Text(HELP)) : plan(r, ids);
        return AgentAnswer.of(ids, blocks);
    }

    private static List<AgentBlock> plan(AgentRequest r, SeededIds ids) {
        String q = r.question();
        String ws = r.workspace();
        Matcher m;
        if ((m = EXPLAIN.matcher(q)).matches()) {
            String file = ws + "/" + m.group(1);
            return r.turn() == 0
                    ? first(ids, "I'll read `" + file + "`.", read(ids, file))
                    : text(Answers.explain(file, last(r)));
        }
        if ((m = DEFINED.matcher(q)).matches()) {
            String name = m.group(1);
            return switch (r.turn()) {
                case 0 -> first(ids, "Let me search for the definition of `" + name + "`.",
                        bash(ids, "grep -rn --include='*.py' 'def " + name + "(' " + ws, "Find the definition of " + name));
                case 1 -> {
                    Answers.Hit hit = Answers.firstHit(last(r));
                    yield hit == null ? text("`" + name + "` is not defined under `" + ws + "`.") : List.of(read(ids, hit.path()));
                }
                default -> text(Answers.definition(name, Answers.firstHit(r.observations().getFirst()), last(r)));
            };
        }
        if ((m = MENTIONS.matcher(q)).matches()) {
            String name = m.group(1);
            return r.turn() == 0
                    ? first(ids, "Let me list the files that mention `" + name + "`.",
                            bash(ids, "grep -rl --include='*.py' --include='*.md' " + name + " " + ws, "List files mentioning " + name))
                    : text(Answers.mentions(name, last(r)));
        }
        if ((m = TESTS.matcher(q)).matches()) {
            String file = ws + "/" + m.group(1);
            return r.turn() == 0
                    ? first(ids, "Let me count the tests.", bash(ids, "grep -c 'def test_' " + file, "Count tests in " + m.group(1)))
                    : text(Answers.tests(file, last(r)));
        }
        if (SUMMARY.matcher(q).matches()) {
            return text(Answers.summary(r.previousAnswer()));
        }
        return text(HELP);
    }

    private static List<AgentBlock> first(SeededIds ids, String intro, AgentBlock.ToolUse tool) {
        List<AgentBlock> blocks = new ArrayList<>(3);
        blocks.add(new AgentBlock.Thinking(ids.signature()));
        blocks.add(new AgentBlock.Text(intro));
        blocks.add(tool);
        return blocks;
    }

    private static List<AgentBlock> text(String text) {
        return List.of(new AgentBlock.Text(text));
    }

    private static String last(AgentRequest r) {
        return r.observations().isEmpty() ? "" : r.observations().getLast();
    }

    private static AgentBlock.ToolUse read(SeededIds ids, String path) {
        ObjectNode input = JsonNodeFactory.instance.objectNode().put("file_path", path);
        return new AgentBlock.ToolUse(ids.toolUseId(), "Read", input);
    }

    private static AgentBlock.ToolUse bash(SeededIds ids, String command, String description) {
        ObjectNode input = JsonNodeFactory.instance.objectNode().put("command", command).put("description", description);
        return new AgentBlock.ToolUse(ids.toolUseId(), "Bash", input);
    }
}
