package dev.sluice.cache.agent;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.sluice.testing.ClaudeCli;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real CLI like {@link ClaudeCli#run}, but keeps its captured output outside the workspace:
 * files left in the checkout show up in the git status Claude Code sends, and would make two
 * developers' requests differ for a reason that has nothing to do with them.
 */
public final class StudyCli {
    private StudyCli() {
    }

    public static ClaudeCli.Result run(Path bin, Path workDir, Path home, Map<String, String> env, Duration timeout, String... args)
            throws IOException, InterruptedException {
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
        Path out = Files.createTempFile("claude-out", ".txt");
        Path err = Files.createTempFile("claude-err", ".txt");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Process p = pb.start();
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            ClaudeCli.Result r = new ClaudeCli.Result(done ? p.exitValue() : -1, Files.readString(out, UTF_8), Files.readString(err, UTF_8));
            if (!done) {
                throw new AssertionError("Claude Code did not finish within " + timeout.toSeconds() + " s\n" + r);
            }
            return r;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
