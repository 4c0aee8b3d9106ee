/**
 * Upstream normalisation (issue 7, optional per cache route, {@code normalise-upstream}, off by default): what is
 * forwarded carries the team's stand-ins in place of each developer's own values, so the provider's prompt cache is
 * shared across developers as the response cache already is; the answer gets the developer's values back.
 *
 * <h2>How a request and its answer go</h2>
 * <pre>
 *  client (alice)                       gateway                                   provider
 *  /home/alice/src/calc        ──►  1. key pass finds her values (cache.key)
 *  /home/alice/.claude/...          2. UpstreamNormaliser: all or nothing ──►   /workspace/calc
 *  Git user: Alice Example             (RequestBody edits; original kept         /home/developer/.claude/...
 *  cc_version=2.1.330.7a4              for the audit)                             Git user: Team Developer
 *                                                                                 cc_version=2.1.330.000
 *  /home/alice/src/calc/x.py   ◄──  3. StreamRestorer / whole body: stand-ins ◄── /workspace/calc/x.py
 *                                      mapped back (a possible stand-in at the
 *                                      end of a delta held until decided)
 *                                   4. the response cache captures what alice got, so its templater sees her paths
 *  next turn sends her text    ──►  5. swapped again: the provider sees exactly what it wrote (and signed)
 * </pre>
 *
 * <p>{@link dev.sluice.cache.normalise.StandIns} names the stand-ins, {@link dev.sluice.cache.normalise.Boundaries}
 * the one boundary rule both directions share, {@link dev.sluice.cache.normalise.Outcome} why a request was or was
 * not normalised ({@code sluice_cache_upstream_normalised_total{outcome}}, {@code x-sluice-upstream-normalised}).
 * Usage, the ledger and prices are untouched: they come from the provider's answer. Design and the team-day numbers
 * are in docs/bench/cache.md ("Upstream normalisation").
 */
package dev.sluice.cache.normalise;
