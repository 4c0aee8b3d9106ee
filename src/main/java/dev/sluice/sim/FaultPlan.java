package dev.sluice.sim;

import java.util.Locale;

/**
 * Failures to inject into one response, parsed from the {@code x-sim-fault} header or
 * {@link SimOptions#defaultFault()}.
 *
 * <p>Syntax: a comma-separated list of
 * <ul>
 *   <li>{@code 429}, {@code 529}, {@code 500} — answer that status with the matching error envelope;
 *   <li>{@code too-long} — a 400 saying the prompt does not fit, in the provider's own words (Anthropic's
 *       {@code prompt is too long: N tokens > M maximum}, Bedrock's {@code Input is too long for requested model.},
 *       OpenAI's {@code context_length_exceeded});
 *   <li>{@code denied} — a 403 whose message names the cloud account, as Bedrock's and Vertex's do;
 *   <li>{@code reset} — close the TCP connection before any response header;
 *   <li>{@code cut:N} — stream: send N SSE events (every event counts, {@code ping} included), then drop
 *       the connection without ending the chunked body; non-stream: send the headers and half the
 *       body, then drop;
 *   <li>{@code slow:MS} — wait MS milliseconds before the response headers;
 *   <li>{@code error-event:N} — stream: after N events send {@code event: error} (overloaded_error)
 *       and end the stream normally;
 *   <li>{@code none} — no fault (overrides a default fault).
 * </ul>
 * Example: {@code slow:200,cut:5}.
 *
 * @param slowMillis       delay before response headers, 0 for none
 * @param reset            close the connection instead of answering
 * @param status           error status to answer (429, 500, 529; 400 for too-long, 403 for denied), 0 for none
 * @param cutAfterEvents   events to send before dropping the connection, -1 for none
 * @param errorAfterEvents events to send before an error event, -1 for none
 */
public record FaultPlan(long slowMillis, boolean reset, int status, int cutAfterEvents, int errorAfterEvents) {

    public static final FaultPlan NONE = new FaultPlan(0, false, 0, -1, -1);

    private static final String EXPECTED =
            "(expected: a comma list of 429, 529, 500, too-long, denied, reset, cut:N, slow:MS, error-event:N or none)";

    /** Parses a fault spec; null or blank means {@link #NONE}. */
    public static FaultPlan parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return NONE;
        }
        long slow = 0;
        boolean reset = false;
        int status = 0;
        int cut = -1;
        int errorEvent = -1;
        for (String raw : spec.split(",")) {
            String part = raw.trim().toLowerCase(Locale.ROOT);
            int colon = part.indexOf(':');
            String name = colon < 0 ? part : part.substring(0, colon);
            String arg = colon < 0 ? null : part.substring(colon + 1).trim();
            switch (name) {
                case "none" -> { }
                case "429", "500", "529" -> status = Integer.parseInt(name);
                case "too-long" -> status = 400;
                case "denied" -> status = 403;
                case "reset" -> reset = true;
                case "cut" -> cut = (int) number(spec, arg);
                case "slow" -> slow = number(spec, arg);
                case "error-event" -> errorEvent = (int) number(spec, arg);
                default -> throw new IllegalArgumentException("fault: '" + spec + "' " + EXPECTED);
            }
            if (colon >= 0 && !name.equals("cut") && !name.equals("slow") && !name.equals("error-event")) {
                throw new IllegalArgumentException("fault: '" + spec + "' " + EXPECTED);
            }
        }
        return new FaultPlan(slow, reset, status, cut, errorEvent);
    }

    private static long number(String spec, String arg) {
        try {
            long value = arg == null ? -1 : Long.parseLong(arg);
            if (value < 0 || value > Integer.MAX_VALUE) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("fault: '" + spec + "' has a bad number '" + arg + "' " + EXPECTED);
        }
    }

    boolean isNone() {
        return equals(NONE);
    }
}
