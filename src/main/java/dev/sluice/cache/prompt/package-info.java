/**
 * Help for the provider's prompt cache: prefix identities per {@code cache_control} breakpoint
 * ({@link dev.sluice.cache.prompt.PromptPrefix}, the router's sticky-target hint), re-read statistics
 * and what a 1-hour TTL would have saved ({@link dev.sluice.cache.prompt.PrefixStats}), and the
 * 5-minute to 1-hour upgrade as request-body edits ({@link dev.sluice.cache.prompt.TtlUpgrade}), and a breakpoint
 * added where a conversation forks from one forwarded before ({@link dev.sluice.cache.prompt.ForkBreakpoint}, hashing
 * the body as forwarded through {@link dev.sluice.cache.prompt.ForwardedBytes}).
 */
package dev.sluice.cache.prompt;
