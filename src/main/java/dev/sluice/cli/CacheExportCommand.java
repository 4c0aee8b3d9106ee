package dev.sluice.cli;

import dev.sluice.cache.learn.Since;
import dev.sluice.cache.learn.capture.CaptureFiles;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice cache export}: a capture directory's files (rotated and current) as one file, for replay elsewhere. */
@Command(name = "export", description = "Write a gateway's cache capture (cache.capture) as one file, for sluice replay or cache misses --capture.",
        footer = {"", "Example:", "  sluice cache export --dir .sluice-data/cache-capture --since 7d --out week.jsonl"})
final class CacheExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The capture directory, cache.capture.dir (the gateway writes to <data-dir>/cache-capture unless that names another).")
    Path dir;

    @Option(names = "--since", defaultValue = "7d", paramLabel = "WINDOW", description = "How far back: 30m, 24h, 7d, 2w (default: ${DEFAULT-VALUE}).")
    String since;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write (must not exist).")
    Path out;

    @Override
    public Integer call() {
        long from;
        try {
            from = System.currentTimeMillis() - Since.parse("--since", since).toMillis();
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        if (!Files.isDirectory(dir)) {
            throw new CliException("--dir: " + dir + " is not a directory");
        }
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long n = CaptureFiles.export(dir, from, w);
            spec.commandLine().getOut().println("wrote " + n + " capture lines to " + out);
            spec.commandLine().getOut().flush();
            return 0;
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new CliException("--out: " + out + " exists (expected: a new file)");
        } catch (IOException e) {
            throw new CliException("export: " + e.getMessage());
        }
    }
}
