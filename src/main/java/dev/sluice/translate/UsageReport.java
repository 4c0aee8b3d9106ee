package dev.sluice.translate;

import dev.sluice.wire.Usage;

/**
 * What a decoder has learned of an attempt's answer so far, normalised to Anthropic's usage
 * vocabulary, so settling never needs to know the upstream's wire.
 */
public interface UsageReport {
    /** Tokens so far: final once {@link #complete()}, otherwise what the upstream reported plus an estimate. */
    Usage usage();

    /** True when part of {@link #usage()} is an estimate (the answer never reported its final count). */
    boolean estimated();

    /** The model the upstream says it served, or null. */
    String servedModel();

    /** The error type of an in-band error (an {@code error} event after a 200, or an error body), or null. */
    String errorType();

    /** True once the answer ended cleanly ({@code message_stop}, or a whole 2xx body). */
    boolean complete();

    /**
     * The input tokens of a prompt whose count the upstream never sent: the request's bytes, four to a token. The one
     * estimate every wire uses (a cut stream's or a cut whole answer's), so a cut bills alike whoever the upstream is.
     */
    static long promptTokens(long requestBytes) {
        return Math.max(0, requestBytes) / 4;
    }

    /** The output tokens of answer bytes an upstream wrote but never counted: four to a token, rounded up. */
    static long answerTokens(long answerBytes) {
        return (Math.max(0, answerBytes) + 3) / 4;
    }

    /**
     * A whole answer cut after its 2xx head: the upstream generated it, so billed it, in full before its first byte
     * left, and its usage was in the part never received. Billed (flagged) as the request's {@link #promptTokens} and
     * the received bytes' {@link #answerTokens}, unless the report already holds counts the upstream sent.
     */
    static UsageReport cut(UsageReport report, long requestBytes, long answerBytes) {
        Usage known = report.usage();
        return flagged(report, known.totalTokens() > 0 ? known : Usage.of(promptTokens(requestBytes), answerTokens(answerBytes)));
    }

    /** {@code report} with {@code usage}, flagged as an estimate. */
    private static UsageReport flagged(UsageReport report, Usage usage) {
        return new UsageReport() {
            @Override
            public Usage usage() {
                return usage;
            }

            @Override
            public boolean estimated() {
                return true;
            }

            @Override
            public String servedModel() {
                return report.servedModel();
            }

            @Override
            public String errorType() {
                return report.errorType();
            }

            @Override
            public boolean complete() {
                return report.complete();
            }
        };
    }
}
