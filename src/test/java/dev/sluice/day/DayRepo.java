package dev.sluice.day;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The team's repository: a small Python calculator package with tests. Its history is fixed (author, dates),
 * so every commit has the same hash on every run, and the day's commits change one module each.
 */
final class DayRepo {

    static final Map<String, String> INITIAL = files(
            "README.md", "# calc\n\nA small calculator: arithmetic, statistics and a parser for number lists.\n",
            "calc/__init__.py", "",
            "calc/arith.py", """
                    def add(a, b):
                        return a + b


                    def sub(a, b):
                        return a - b


                    def mul(a, b):
                        return a * b


                    def div(a, b):
                        if b == 0:
                            raise ZeroDivisionError("div by zero")
                        return a / b
                    """,
            "calc/stats.py", """
                    from calc.arith import add, div


                    def mean(xs):
                        return div(sum(xs), len(xs))


                    def median(xs):
                        s = sorted(xs)
                        return s[len(s) // 2]
                    """,
            "calc/parse.py", """
                    def tokenize(text):
                        return text.replace(",", " ").split()


                    def parse_number(token):
                        return float(token)
                    """,
            "tests/test_arith.py", """
                    from calc.arith import add, sub, mul, div


                    def test_add():
                        assert add(1, 2) == 3


                    def test_sub():
                        assert sub(3, 2) == 1


                    def test_mul():
                        assert mul(2, 3) == 6


                    def test_div():
                        assert div(6, 3) == 2
                    """,
            "tests/test_stats.py", """
                    from calc.stats import mean, median


                    def test_mean():
                        assert mean([1, 2, 3]) == 2


                    def test_median():
                        assert median([3, 1, 2]) == 2
                    """);

    /** Midday: {@code mean} learns about empty input, {@code mode} arrives, with a test. */
    static final Map<String, String> STATS_FIX = files(
            "calc/stats.py", """
                    from calc.arith import add, div


                    def mean(xs):
                        if not xs:
                            return 0.0
                        return div(sum(xs), len(xs))


                    def median(xs):
                        s = sorted(xs)
                        return s[len(s) // 2]


                    def mode(xs):
                        return max(set(xs), key=xs.count)
                    """,
            "tests/test_stats.py", """
                    from calc.stats import mean, median, mode


                    def test_mean():
                        assert mean([1, 2, 3]) == 2


                    def test_mean_empty():
                        assert mean([]) == 0.0


                    def test_median():
                        assert median([3, 1, 2]) == 2


                    def test_mode():
                        assert mode([1, 2, 2]) == 2
                    """);

    /** Before the release: the parser accepts semicolons. */
    static final Map<String, String> PARSER_CHANGE = files(
            "calc/parse.py", """
                    def tokenize(text):
                        return text.replace(",", " ").replace(";", " ").split()


                    def parse_number(token):
                        return float(token.strip())
                    """);

    private final Path origin;
    private int commits;

    private DayRepo(Path origin) {
        this.origin = origin;
    }

    static DayRepo create(Path origin) throws IOException, InterruptedException {
        Files.createDirectories(origin);
        DayRepo repo = new DayRepo(origin);
        repo.git("init", "-q", "-b", "main");
        repo.commit(INITIAL, "Initial calculator");
        return repo;
    }

    Path origin() {
        return origin;
    }

    /** Writes the files and commits them with a fixed author and a date one hour after the last commit. */
    void commit(Map<String, String> changes, String message) throws IOException, InterruptedException {
        for (Map.Entry<String, String> file : changes.entrySet()) {
            Path p = origin.resolve(file.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, file.getValue());
        }
        git("add", "-A");
        git("commit", "-q", "-m", message);
        commits++;
    }

    private void git(String... args) throws IOException, InterruptedException {
        String date = "2026-11-29T0" + (8 + commits) + ":00:00Z";
        run(origin, Map.of("GIT_AUTHOR_DATE", date, "GIT_COMMITTER_DATE", date, "GIT_AUTHOR_NAME", "Repo Owner",
                "GIT_AUTHOR_EMAIL", "owner@example.com", "GIT_COMMITTER_NAME", "Repo Owner",
                "GIT_COMMITTER_EMAIL", "owner@example.com", "HOME", origin.toString()), args);
    }

    /** Runs git in {@code dir}; fails with its output when it fails. */
    static void run(Path dir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("git " + String.join(" ", args) + " failed in " + dir + ": " + out);
        }
    }

    private static Map<String, String> files(String... pathsAndContents) {
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            files.put(pathsAndContents[i], pathsAndContents[i + 1]);
        }
        return files;
    }
}
