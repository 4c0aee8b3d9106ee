package dev.sluice.admin.dashboard;

import dev.sluice.wire.ApiError;
import io.vertx.core.MultiMap;
import java.util.List;

/**
 * The query of one data call, checked before any work: only the parameters the call knows, each at most once,
 * numbers inside their range. A refusal is a 400 naming the parameter, the value (cut) and what was expected.
 */
final class Bounds {
    private static final int SHOWN = 64;

    private final MultiMap params;
    private final String call;

    Bounds(MultiMap params, String call, String... allowed) {
        this.params = params;
        this.call = call;
        List<String> ok = List.of(allowed);
        for (String name : params.names()) {
            if (!ok.contains(name)) {
                throw ApiError.invalidRequest("query parameter " + shown(name) + ": not known on " + call
                        + " (expected: " + (ok.isEmpty() ? "none" : String.join(", ", ok)) + ")");
            }
        }
    }

    /** The single value of {@code name}, or null when absent or blank. */
    String text(String name) {
        List<String> values = params.getAll(name);
        if (values.size() > 1) {
            throw ApiError.invalidRequest("query parameter " + name + ": given " + values.size() + " times (expected: once)");
        }
        return values.isEmpty() || values.getFirst().isBlank() ? null : values.getFirst().strip();
    }

    /** A whole number from {@code min} to {@code max}; {@code fallback} when absent. */
    int number(String name, int min, int max, int fallback) {
        String t = text(name);
        if (t == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(t);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiError.invalidRequest("query parameter " + name + ": \"" + shown(t) + "\" on " + call
                + " (expected: a whole number from " + min + " to " + max + ")");
    }

    /** A caller's text as an error message may echo it: cut, control characters shown as '?'. */
    static String shown(String s) {
        String cut = s.length() > SHOWN ? s.substring(0, SHOWN) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
