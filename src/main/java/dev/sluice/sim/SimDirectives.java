package dev.sluice.sim;

import io.vertx.core.MultiMap;

/**
 * The steering for one request: {@link SimHeaders} values over {@link SimOptions} defaults.
 *
 * @param outputTokens    requested output size before the {@code max_tokens} cap
 * @param ttftMillis      delay before the first content delta
 * @param tokensPerSecond pacing, 0 = instant
 * @param eventGapMillis  fixed gap between SSE events, or -1 for none
 * @param tool            forced tool name, or null
 * @param fault           failures to inject
 * @param usage           fields replacing those of the final usage reported, or null ({@link SimHeaders#USAGE})
 */
record SimDirectives(int outputTokens, long ttftMillis, double tokensPerSecond, long eventGapMillis, String tool,
                     FaultPlan fault, com.fasterxml.jackson.databind.node.ObjectNode usage) {

    /** The most bytes of {@link SimHeaders#USAGE} read. */
    static final int MAX_USAGE_BYTES = 4096;

    /** These directives without their fault unless the request came with {@code faultKey} (when one is named). */
    SimDirectives forKey(String faultKey, String upstreamKey) {
        if (faultKey == null || faultKey.equals(upstreamKey)) {
            return this;
        }
        return new SimDirectives(outputTokens, ttftMillis, tokensPerSecond, eventGapMillis, tool, FaultPlan.NONE, null);
    }

    /** Reads the headers; a malformed value is a 400 naming the header and the value. */
    static SimDirectives from(MultiMap headers, SimOptions options) {
        String faultSpec = headers.get(SimHeaders.FAULT);
        FaultPlan fault;
        try {
            fault = FaultPlan.parse(faultSpec != null ? faultSpec : options.defaultFault());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidRequest(SimHeaders.FAULT + ": " + e.getMessage());
        }
        String tool = headers.get(SimHeaders.TOOL);
        return new SimDirectives(
                (int) number(headers, SimHeaders.OUTPUT_TOKENS, options.defaultOutputTokens(), 1),
                number(headers, SimHeaders.TTFT_MS, options.ttftMillis(), 0),
                rate(headers, options.tokensPerSecond()),
                number(headers, SimHeaders.EVENT_GAP_MS, -1, 0),
                tool == null || tool.isBlank() ? null : tool.strip(),
                fault,
                usage(headers.get(SimHeaders.USAGE)));
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode usage(String value) {
        if (value == null) {
            return null;
        }
        try {
            if (value.length() <= MAX_USAGE_BYTES
                    && SimJson.MAPPER.readTree(value) instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
                return o;
            }
        } catch (java.io.IOException e) {
            // fall through to the error naming the value
        }
        throw ApiException.invalidRequest(SimHeaders.USAGE + ": '" + (value.length() > 64 ? value.substring(0, 64) + "..." : value)
                + "' (expected: a JSON object of at most " + MAX_USAGE_BYTES + " bytes)");
    }

    private static long number(MultiMap headers, String name, long fallback, long min) {
        String value = headers.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.strip());
            if (parsed >= min && parsed <= Integer.MAX_VALUE) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // fall through to the error naming the value
        }
        throw ApiException.invalidRequest(name + ": '" + value + "' (expected: an integer >= " + min + ")");
    }

    private static double rate(MultiMap headers, double fallback) {
        String value = headers.get(SimHeaders.TOKENS_PER_SECOND);
        if (value == null) {
            return fallback;
        }
        try {
            double parsed = Double.parseDouble(value.strip());
            if (parsed >= 0 && !Double.isInfinite(parsed)) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // fall through to the error naming the value
        }
        throw ApiException.invalidRequest(SimHeaders.TOKENS_PER_SECOND + ": '" + value
                + "' (expected: a number >= 0, 0 = instant)");
    }
}
