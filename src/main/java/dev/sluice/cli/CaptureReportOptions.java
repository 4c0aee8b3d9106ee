package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cache.learn.Since;
import dev.sluice.cache.learn.capture.CaptureFiles;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * What the reports on the cache capture ({@code sluice cache misses}, {@code sluice cache advice}) share: the
 * window, the output format, and where the report comes from (a running gateway's admin API, or a capture read
 * offline), so each command only says which report it wants and how to print it as a table.
 */
final class CaptureReportOptions {
    @Option(names = "--since", defaultValue = "7d", paramLabel = "WINDOW", description = "How far back: 30m, 24h, 7d, 2w (default: ${DEFAULT-VALUE}).")
    String since;

    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT", description = "table or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--capture", paramLabel = "PATH", description = "Read this capture file or directory (built-in prices) instead of asking a gateway.")
    Path capture;

    /**
     * Fetches the report from the gateway at {@code adminPath} (given the URL-encoded window) or computes it with
     * {@code offline} from the capture, then prints it as JSON or with {@code table}; the exit code.
     */
    int print(CommandSpec spec, AdminClient admin, Function<String, String> adminPath,
              Function<CaptureFiles.Capture, JsonNode> offline, BiConsumer<PrintWriter, JsonNode> table) throws IOException {
        if (!format.equals("table") && !format.equals("json")) {
            throw new CliException("--format: '" + format + "' (expected: table or json)");
        }
        JsonNode report;
        try {
            long from = System.currentTimeMillis() - Since.parse("--since", since).toMillis();
            if (capture != null) {
                report = offline.apply(CaptureFiles.read(capture, from, CaptureFiles.DEFAULT_MAX_SHAPES));
            } else {
                AdminClient.Result r = admin.call("GET", adminPath.apply(URLEncoder.encode(since, StandardCharsets.UTF_8)));
                if (!r.ok()) {
                    spec.commandLine().getErr().println(r.body());
                    return 1;
                }
                report = Json.MAPPER.readTree(r.body());
            }
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) {
            out.println(report.toPrettyString());
        } else {
            table.accept(out, report);
        }
        out.flush();
        return 0;
    }
}
