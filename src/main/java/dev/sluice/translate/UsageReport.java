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
     * {@code report} with its usage flagged as an estimate: for an answer that broke before its usage could be read,
     * which the upstream may still have billed.
     */
    static UsageReport flagged(UsageReport report) {
        return new UsageReport() {
            @Override
            public Usage usage() {
                return report.usage();
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
