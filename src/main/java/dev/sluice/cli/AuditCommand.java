package dev.sluice.cli;

import dev.sluice.trace.AuditChain;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice audit verify}: checks the audit log's hash chain (exit 0 when intact, 1 at the first broken line). */
@Command(name = "audit", description = "Work with the audit log.", subcommands = AuditCommand.Verify.class)
public final class AuditCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "verify", description = "Check that no audit line was edited, removed, added or reordered.")
    static final class Verify implements Callable<Integer> {
        @Option(names = "--file", paramLabel = "FILE", description = "The audit log (default: audit.jsonl in --data-dir).")
        Path file;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "The gateway's data directory (default: .sluice-data).")
        Path dataDir = Path.of(".sluice-data");

        @Override
        public Integer call() throws Exception {
            Path f = file != null ? file : dataDir.resolve("audit.jsonl");
            AuditChain.Result r = AuditChain.verify(f);
            if (r.ok()) {
                System.out.println("OK: " + r.lines() + " audit line(s), chain intact (" + f + " and its rotated files)");
                return 0;
            }
            System.out.println("BROKEN: " + r.brokenFile() + " line " + r.brokenLine() + ": " + r.reason());
            return 1;
        }
    }
}
