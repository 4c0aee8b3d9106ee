package dev.sluice.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Claude Code CLI, found at {@code $SLUICE_CLAUDE_BIN}, else in {@code src/test/npm} (where
 * CI installs it with {@code npm install --prefix src/test/npm}), else on the {@code PATH}. When it
 * is nowhere, tests using it fail under CI ({@code $CI} set) and are skipped elsewhere.
 */
public final class ClaudeCli {
    private ClaudeCli() {
    }

    /** The binary, or a failed assumption (locally) / assertion (CI) when there is none. */
    public static Path require() {
        Optional<Path> bin = locate();
        if (bin.isPresent()) {
            return bin.get();
        }
        String why = "Claude Code CLI not found: set SLUICE_CLAUDE_BIN or run 'npm install --prefix src/test/npm'";
        if (System.getenv("CI") != null) {
            throw new AssertionError(why + " (CI is set, so this is a failure)");
        }
        Assumptions.abort(why);
        throw new IllegalStateException("unreachable");
    }

    public static Optional<Path> locate() {
        String env = System.getenv("SLUICE_CLAUDE_BIN");
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            if (!Files.isExecutable(p)) {
                throw new AssertionError("SLUICE_CLAUDE_BIN=" + env + " is not an executable file");
            }
            return Optional.of(p);
        }
        Path local = Path.of("src", "test", "npm", "node_modules", ".bin", "claude").toAbsolutePath();
        if (Files.isExecutable(local)) {
            return Optional.of(local);
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path p = Path.of(dir, "claude");
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** What a run printed and how it ended. */
    public record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
        }
    }

    /**
     * Runs the CLI in {@code workDir} with a clean environment: a private HOME, the given variables,
     * {@code PATH} and nothing else (an inherited {@code ANTHROPIC_*} variable would change where
     * it goes and which credential it sends).
     */
    public static Result run(Path bin, Path workDir, Path home, Map<String, String> env, Duration timeout, String... args)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(workDir, "claude-out", ".txt");
        Path err = Files.createTempFile(workDir, "claude-err", ".txt");
        return runCapturing(out, err, bin, workDir, home, env, timeout, args);
    }

    /**
     * The same, with what it prints captured in {@code out} and {@code err}, files the caller places and deletes (a study
     * keeps them out of the checkout, whose git status Claude Code sends).
     */
    public static Result runCapturing(Path out, Path err, Path bin, Path workDir, Path home, Map<String, String> env,
            Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(bin.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        Map<String, String> e = pb.environment();
        String path = e.get("PATH");
        e.clear();
        e.put("PATH", path == null ? "/usr/bin:/bin" : path);
        e.put("HOME", home.toString());
        e.put("LANG", "C.UTF-8");
        e.putAll(env);
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        Result r = new Result(done ? p.exitValue() : -1, Files.readString(out, UTF_8), Files.readString(err, UTF_8));
        if (!done) {
            throw new AssertionError(bin.getFileName() + " did not finish within " + timeout.toSeconds() + " s\n" + r);
        }
        return r;
    }
}
