package dev.sluice.trace;

import dev.sluice.pipeline.Exchange;

/** Learns from one finished exchange: writes its spans, counts it, logs it. Called from any event loop. */
@FunctionalInterface
interface ExchangeObserver {
    void observe(Exchange ex);
}
