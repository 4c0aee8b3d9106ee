/**
 * What is stored: {@link dev.sluice.cache.entry.CacheEntry} (a captured stream's exact event bytes or
 * a JSON body, with placeholders), the checks an answer must pass to be stored
 * ({@link dev.sluice.cache.entry.CaptureCheck}, {@link dev.sluice.cache.entry.WriteGuard}), the
 * templating that makes an answer workspace-relative ({@link dev.sluice.cache.entry.AnswerTemplater})
 * and the byte form for Redis ({@link dev.sluice.cache.entry.EntryCodec}).
 */
package dev.sluice.cache.entry;
