package dev.sluice.budget;

import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Target;
import dev.sluice.upstream.UpstreamKey;
import dev.sluice.upstream.UpstreamSpec;
import dev.sluice.upstream.Upstreams;

/**
 * The upstream credential the first attempt will use, known before it is made: per-upstream-key rate limits and
 * the fair queue must wait (a stage's request hook can; an attempt hook cannot). It follows the attempt loop's own
 * choice ({@link UpstreamSpec#keyFor} with the conversation as sticky key); if routing ever picks keys another way,
 * this is the one place to change.
 */
final class UpstreamKeys {
    private UpstreamKeys() {
    }

    /** The alias of the first attempt's credential, {@code caller} in open pass-through, or null when unknown. */
    static String first(Exchange ex, Target target) {
        UpstreamSpec spec = ex.snapshot().get(Upstreams.PART).get(target.upstream());
        if (spec == null) {
            return null;
        }
        if (spec.hasKeys()) {
            String session = ex.sessionId();
            String sticky = session != null ? session : ex.identity() == null ? null : ex.identity().keyId();
            return spec.keyFor(sticky, 1).alias();
        }
        return ex.identity() != null && ex.identity().isOpen() ? UpstreamKey.CALLER.alias() : null;
    }
}
