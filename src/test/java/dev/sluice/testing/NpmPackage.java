package dev.sluice.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A package from {@code src/test/npm} (where CI installs them with {@code npm install --prefix src/test/npm}) and the
 * {@code node} that runs scripts using it. When either is missing, tests fail under CI ({@code $CI} set) and are
 * skipped elsewhere, as for the Claude Code CLI.
 */
public final class NpmPackage {
    private NpmPackage() {
    }

    /** The installed package's directory, or a failed assumption (locally) / assertion (CI) when it is not installed. */
    public static Path require(String name) {
        Path dir = Path.of("src", "test", "npm", "node_modules", name).toAbsolutePath();
        if (!Files.isRegularFile(dir.resolve("package.json"))) {
            missing("npm package '" + name + "' not installed at " + dir + ": run 'npm install --prefix src/test/npm'");
        }
        node();
        return dir;
    }

    /** The {@code node} binary: {@code $SLUICE_NODE_BIN}, else the first on the PATH. */
    public static Path node() {
        String env = System.getenv("SLUICE_NODE_BIN");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                Path p = Path.of(d, "node");
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        missing("node not found on the PATH (set SLUICE_NODE_BIN)");
        throw new IllegalStateException("unreachable");
    }

    private static void missing(String why) {
        if (System.getenv("CI") != null) {
            throw new AssertionError(why + " (CI is set, so this is a failure)");
        }
        Assumptions.abort(why);
    }

    /** What a script printed and how it ended. */
    public record Run(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
        }
    }

    /** Runs {@code node script} with only {@code env} (and PATH, HOME) in its environment. */
    public static Run run(Path script, Path workDir, Map<String, String> env, Duration timeout) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(node().toString(), script.toString())).directory(workDir.toFile());
        Map<String, String> e = pb.environment();
        String path = e.get("PATH");
        e.clear();
        e.put("PATH", path == null ? "/usr/bin:/bin" : path);
        e.put("HOME", workDir.toString());
        e.putAll(env);
        Path out = Files.createTempFile(workDir, "node-out", ".txt");
        Path err = Files.createTempFile(workDir, "node-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("node " + script + " did not finish within " + timeout.toSeconds() + " s");
        }
        return new Run(p.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8));
    }
}
