package dev.sluice.route;

import dev.sluice.pipeline.Attempt;
import dev.sluice.pipeline.Bounded;
import dev.sluice.pipeline.Exchange;
import dev.sluice.upstream.TargetHealth;

/** What an attempt says about its upstream's health, and how attempts are named in response headers. */
final class Outcomes {
    private Outcomes() {
    }

    /**
     * Failures are what says the upstream itself is in trouble: no connection, no first byte of a stream
     * in time, 5xx or 529, an error event first or mid-stream. A 429 is the key's own limit and a client
     * that left says nothing: neither is counted. Nor is a whole answer's first-byte timeout: its first
     * byte comes when the whole answer is written, and how long that takes is the caller's choice
     * (max_tokens, the prompt), so one tenant's long answers would open the breaker for every tenant.
     * Any other answer, 4xx included, shows a working upstream.
     */
    static TargetHealth.Outcome of(Attempt a, boolean streamed) {
        String error = a.errorType();
        if ("client_closed".equals(error) || a.status() == 429 || "rate_limit_error".equals(error)) {
            return TargetHealth.Outcome.NEUTRAL;
        }
        if (a.failure() != null) {
            return switch (a.failure()) {
                case CONNECT, STREAM_ERROR, BROKEN_ANSWER -> TargetHealth.Outcome.FAILURE;
                case FIRST_BYTE_TIMEOUT -> streamed ? TargetHealth.Outcome.FAILURE : TargetHealth.Outcome.NEUTRAL;
                case STATUS -> a.status() >= 500 || a.status() == 408 ? TargetHealth.Outcome.FAILURE : TargetHealth.Outcome.SUCCESS;
            };
        }
        if (a.status() == 0) {
            return TargetHealth.Outcome.NEUTRAL; // never sent (a provider could not prepare it)
        }
        if (a.status() >= 500) {
            return TargetHealth.Outcome.FAILURE;
        }
        return error != null && a.status() < 300 ? TargetHealth.Outcome.FAILURE : TargetHealth.Outcome.SUCCESS;
    }

    /** {@code upstream/key} of an attempt ({@code upstream} alone when no key of its own was used). */
    static String spot(Attempt a) {
        String alias = a.upstreamKeyAlias();
        return printable(new StringBuilder(alias == null ? a.target().upstream() : a.target().upstream() + "/" + alias));
    }

    /**
     * Every attempt so far as {@code upstream/key status [error_type]}, comma-separated, in order:
     * {@code primary/k1 529 overloaded_error, secondary/k2 200}. A failure without a status reads
     * {@code connect}, {@code timeout} or {@code broken}.
     */
    static String tried(Exchange ex) {
        StringBuilder sb = new StringBuilder();
        for (Attempt a : ex.attempts()) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            sb.append(spot(a)).append(' ');
            if (a.status() > 0) {
                sb.append(a.status());
            } else if (a.failure() == Attempt.Failure.FIRST_BYTE_TIMEOUT) {
                sb.append("timeout");
            } else if (a.failure() == Attempt.Failure.CONNECT) {
                sb.append("connect");
            } else if (a.failure() == Attempt.Failure.BROKEN_ANSWER) {
                sb.append("broken"); // sent, and what came back (if anything) was no HTTP answer
            } else {
                sb.append("pending");
            }
            String error = a.errorType();
            if (error != null) {
                sb.append(' ').append(Bounded.text(error, 64));
            }
        }
        return printable(sb);
    }

    /**
     * The header value with anything but printable ASCII replaced: an upstream's error type is its own
     * text, and one bad character must not cost the response its other headers.
     */
    private static String printable(StringBuilder sb) {
        for (int i = 0; i < sb.length(); i++) {
            char c = sb.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                sb.setCharAt(i, '?');
            }
        }
        return sb.toString();
    }
}
