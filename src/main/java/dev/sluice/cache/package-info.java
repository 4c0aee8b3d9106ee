/**
 * The response cache: exact and workspace-relative, shared by the developers of one organization,
 * layered on the provider's prompt cache. {@link dev.sluice.cache.ResponseCache} is the one object
 * the pipeline stage uses; the pieces live in subpackages, in the order a request meets them.
 *
 * <h2>How a request is answered from the cache</h2>
 * <ol>
 *   <li><b>Key</b> ({@code key}): one tokenizing pass over the body, then a keyed 128-bit hash of its
 *       canonical form: what decides the answer (model, system, tools, tool choice, messages,
 *       sampling, thinking, output config, stop sequences, everything unknown) and nothing that does
 *       not ({@code metadata}, {@code stream}, {@code cache_control} markers, whitespace, key order,
 *       Claude Code's billing header). The developer's own values (workspace, home, project slug,
 *       git user, date, tool-use ids) become placeholders, so two developers asking the same thing of
 *       the same repository get the same key (the workspace's own folder name stays in it: another
 *       repository's answer is not this one's). The same pass yields the semantic anchor, the
 *       newest-turn facts and each message's offset.</li>
 *   <li><b>Look up</b> ({@code store}): in the caller's organization (always), scope (org, team, user
 *       or key) and namespace, under the current bust generation; in process (Caffeine, bounded by
 *       bytes) or in Redis for several replicas.</li>
 *   <li><b>Replay</b> ({@code replay}): the stored answer, in the form the client asked for (SSE or
 *       JSON, from either stored form), with the requester's own values where the placeholders are,
 *       a fresh message id, and usage that shows the prompt as read from cache.</li>
 *   <li><b>Capture</b> ({@code entry}): a miss's answer is kept as it passes; at the end, if it is
 *       complete, successful and not flagged by the write guard, its paths become placeholders (or,
 *       when that cannot be done with certainty, it is pinned to the developer who asked) and it is
 *       stored.</li>
 * </ol>
 * {@code prompt} helps the provider's own cache: prefix identities for near misses, re-read
 * statistics, the 5-minute to 1-hour TTL upgrade and breakpoints where a conversation forks from one
 * forwarded before ({@code ForkBreakpoint}). Design notes, numbers and the team-day
 * experiment plan: docs/bench/cache.md.
 */
package dev.sluice.cache;
