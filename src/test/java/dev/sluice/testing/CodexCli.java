package dev.sluice.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Codex CLI ({@code @openai/codex} from npm), at {@code $SLUICE_CODEX_BIN}, else in {@code src/test/npm} (where
 * CI installs it). Missing, tests using it fail under CI ({@code $CI} set) and are skipped elsewhere, as for Claude
 * Code. Run it with {@link ClaudeCli#run}, which runs any CLI in a clean environment.
 */
public final class CodexCli {
    private CodexCli() {
    }

    public static Path require() {
        String env = System.getenv("SLUICE_CODEX_BIN");
        Path bin = env != null && !env.isBlank() ? Path.of(env)
                : Path.of("src", "test", "npm", "node_modules", ".bin", "codex").toAbsolutePath();
        if (Files.isExecutable(bin)) {
            return bin;
        }
        String why = "Codex CLI not found at " + bin + ": set SLUICE_CODEX_BIN or run 'npm install --prefix src/test/npm'";
        if (System.getenv("CI") != null) {
            throw new AssertionError(why + " (CI is set, so this is a failure)");
        }
        Assumptions.abort(why);
        throw new IllegalStateException("unreachable");
    }
}
