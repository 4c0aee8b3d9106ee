package dev.sluice.upstream;

import dev.sluice.pipeline.Attempt;
import dev.sluice.pipeline.Exchange;
import io.vertx.core.MultiMap;

/**
 * An attempt plan that also chooses the upstream credential of each attempt and wants to see the
 * upstream's own response headers (its rate-limit state) before they are filtered for the client.
 * The attempt loop asks a plan that implements it; other plans get {@link UpstreamSpec#keyFor}.
 */
public interface KeyPolicy {
    /**
     * The credential for {@code attempt} among {@code spec}'s keys (the spec has at least one), or null
     * to let the loop pick by {@link UpstreamSpec#keyFor}.
     */
    UpstreamKey key(Exchange ex, UpstreamSpec spec, Attempt attempt);

    /** The upstream's response head of {@code attempt}, unfiltered (called once per answered attempt). */
    default void answered(Exchange ex, Attempt attempt, MultiMap upstreamHeaders) {
    }
}
