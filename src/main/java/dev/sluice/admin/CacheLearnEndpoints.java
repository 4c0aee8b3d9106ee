package dev.sluice.admin;

import static dev.sluice.admin.DirectoryEndpoints.ok;
import static dev.sluice.admin.Endpoint.read;

import dev.sluice.cache.learn.Since;
import dev.sluice.cache.learn.advice.AdviceJson;
import dev.sluice.cache.learn.advice.PromptAdvice;
import dev.sluice.cache.learn.capture.CaptureFiles;
import dev.sluice.cache.learn.capture.ShapeCapture;
import dev.sluice.cache.learn.misses.LedgerCosts;
import dev.sluice.cache.learn.misses.MissAnalysis;
import dev.sluice.cache.learn.misses.MissReportJson;
import dev.sluice.cache.report.CacheAdmin;
import dev.sluice.wire.ApiError;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the cache learns from its capture ({@code cache.capture}), in the admin API:
 * <pre>
 * GET /admin/cache/misses?since=7d&amp;limit=100&amp;examples=5   each miss's pattern, grouped with counts and dollars
 * GET /admin/cache/advice?since=7d&amp;top=20                  prompt-cache advice: 1-hour TTLs and breakpoints, in dollars
 * </pre>
 * The capture is read from this replica's capture directory (the newest 100,000 requests of the window at most:
 * {@code truncated} says when there were more); costs of misses come from the ledger.
 */
final class CacheLearnEndpoints {
    private CacheLearnEndpoints() {
    }

    static List<Endpoint> all(CacheAdmin cache) {
        return List.of(read("/admin/cache/misses", c -> {
            c.allowQuery("since", "limit", "examples");
            String since = c.query("since") == null ? "7d" : c.query("since");
            Duration window;
            try {
                window = Since.parse("query parameter since", since);
            } catch (IllegalArgumentException e) {
                throw ApiError.invalidRequest(e.getMessage());
            }
            int limit = number("limit", c.query("limit"), 100, 0, 1000);
            int examples = number("examples", c.query("examples"), 5, 0, 50);
            CaptureFiles.Capture capture = capture(cache, c.now().toEpochMilli() - window.toMillis());
            Map<String, Long> costs = cache.database() == null ? Map.of()
                    : LedgerCosts.of(cache.database().dataSource(), capture.shapes());
            return ok(MissReportJson.of(MissAnalysis.analyse(capture, costs::get, examples, limit), since)
                    .put("truncated", capture.truncated()));
        }), read("/admin/cache/advice", c -> {
            c.allowQuery("since", "top");
            String since = c.query("since") == null ? "7d" : c.query("since");
            Duration window;
            try {
                window = Since.parse("query parameter since", since);
            } catch (IllegalArgumentException e) {
                throw ApiError.invalidRequest(e.getMessage());
            }
            int top = number("top", c.query("top"), 20, 1, 1000);
            CaptureFiles.Capture capture = capture(cache, c.now().toEpochMilli() - window.toMillis());
            return ok(AdviceJson.of(PromptAdvice.analyse(capture, cache.meter(), top), since).put("truncated", capture.truncated()));
        }));
    }

    /** This replica's capture since {@code sinceMillis}; 409 when capture is off. */
    static CaptureFiles.Capture capture(CacheAdmin cache, long sinceMillis) {
        ShapeCapture shapes = cache.service().shapes();
        if (!shapes.enabled()) {
            throw new ApiError(409, "invalid_request_error",
                    "the cache capture is off on this gateway (set cache.capture.enabled: true and restart)", false, null);
        }
        shapes.log().drain();
        try {
            return CaptureFiles.read(shapes.dir(), sinceMillis, CaptureFiles.ADMIN_MAX_SHAPES);
        } catch (IOException e) {
            throw new ApiError(500, "api_error", "reading the cache capture: " + e.getMessage(), false, null);
        }
    }

    static int number(String param, String text, int dflt, int min, int max) {
        if (text == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        String shown = text.length() > 32 ? text.substring(0, 32) + "..." : text;
        throw ApiError.invalidRequest("query parameter " + param + ": \"" + shown + "\" (expected: a number from " + min + " to " + max + ")");
    }
}
