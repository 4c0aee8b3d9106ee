/**
 * Help for the provider's prompt cache: prefix identities per {@code cache_control} breakpoint
 * ({@link dev.sluice.cache.prompt.PromptPrefix}), re-read statistics and what a 1-hour TTL would have saved
 * ({@link dev.sluice.cache.prompt.PrefixStats}), the 5-minute to 1-hour upgrade as request-body edits
 * ({@link dev.sluice.cache.prompt.TtlUpgrade}), and a breakpoint added where a conversation forks from one forwarded
 * before ({@link dev.sluice.cache.prompt.ForkBreakpoint}). The identities and the fork prefixes are hashed in one walk
 * ({@link dev.sluice.cache.prompt.PromptHashes}) over the body as forwarded
 * ({@link dev.sluice.cache.prompt.ForwardedBytes}: after upstream normalisation, markers left out), so they name what
 * the provider caches.
 */
package dev.sluice.cache.prompt;
