package dev.sluice.cache.agent;

import dev.sluice.testing.ClaudeCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

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
        Path out = Files.createTempFile("claude-out", ".txt");
        Path err = Files.createTempFile("claude-err", ".txt");
        try {
            return ClaudeCli.runCapturing(out, err, bin, workDir, home, env, timeout, args);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
