package dev.sluice.sim.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The final answers, each computed only from what the tools returned and the paths involved. */
final class Answers {

    /** A Read result line: right-aligned number, then a tab or an arrow, then the file's line. */
    private static final Pattern NUMBERED = Pattern.compile("^\\s*\\d+[\\t\\u2192](.*)$");
    private static final Pattern DEF = Pattern.compile("def (\\w+)\\(");
    private static final Pattern GREP_HIT = Pattern.compile("^(/\\S+?):(\\d+):");

    /** One {@code grep -n} hit. */
    record Hit(String path, int line) {
    }

    private Answers() {
    }

    static String explain(String file, String result) {
        List<String> lines = fileLines(result);
        if (lines.isEmpty()) {
            return "I could not read `" + file + "`: " + firstLine(result);
        }
        List<String> defs = new ArrayList<>();
        for (String line : lines) {
            Matcher m = DEF.matcher(line);
            if (m.find()) {
                defs.add("`" + m.group(1) + "`");
            }
        }
        return "`" + file + "` has " + lines.size() + " lines. "
                + (defs.isEmpty() ? "It defines no functions." : "It defines " + String.join(", ", defs) + ".")
                + " It begins with `" + lines.getFirst().strip() + "`.";
    }

    static Hit firstHit(String grep) {
        for (String line : grep.split("\n")) {
            Matcher m = GREP_HIT.matcher(line);
            if (m.find()) {
                return new Hit(m.group(1), Integer.parseInt(m.group(2)));
            }
        }
        return null;
    }

    static String definition(String name, Hit hit, String result) {
        if (hit == null) {
            return "`" + name + "` is not defined here.";
        }
        List<String> lines = fileLines(result);
        String signature = "";
        String returns = "nothing it states explicitly";
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("def " + name + "(")) {
                signature = lines.get(i).strip();
                for (int j = i + 1; j < lines.size() && !lines.get(j).startsWith("def "); j++) {
                    if (lines.get(j).strip().startsWith("return ")) {
                        returns = "`" + lines.get(j).strip().substring(7) + "`";
                        break;
                    }
                }
                break;
            }
        }
        return "`" + name + "` is defined at `" + hit.path() + ":" + hit.line() + "` as `" + signature + "`. It returns "
                + returns + ".";
    }

    static String mentions(String name, String result) {
        List<String> files = new ArrayList<>();
        for (String line : result.split("\n")) {
            if (line.startsWith("/")) {
                files.add(line.strip());
            }
        }
        if (files.isEmpty()) {
            return "No file mentions `" + name + "`.";
        }
        files.sort(null);
        return files.size() + (files.size() == 1 ? " file mentions `" : " files mention `") + name + "`: "
                + String.join(", ", files.stream().map(f -> "`" + f + "`").toList()) + ".";
    }

    static String tests(String file, String result) {
        String count = firstLine(result).strip();
        return count.matches("\\d+") ? "`" + file + "` has " + count + " tests." : "I could not count the tests in `" + file
                + "`: " + count;
    }

    static String summary(String previous) {
        if (previous.isBlank()) {
            return "There is no earlier answer to summarize.";
        }
        int end = previous.indexOf(". ");
        return "In one sentence: " + (end < 0 ? previous.strip() : previous.substring(0, end + 1));
    }

    /** The file's lines from a Read result, without Claude Code's line numbers; empty if it is not one. */
    private static List<String> fileLines(String result) {
        List<String> lines = new ArrayList<>();
        for (String line : result.split("\n")) {
            Matcher m = NUMBERED.matcher(line);
            if (m.matches()) {
                lines.add(m.group(1));
            }
        }
        return lines;
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
