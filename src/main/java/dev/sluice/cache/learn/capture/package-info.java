/**
 * Capture of request shapes: what the response cache saw of each request, as digests that can be compared
 * (two requests with the same system prompt have the same system digest) but not read. Off by default
 * ({@code cache.capture}); bounded files with rotation; {@link dev.sluice.cache.learn.capture.CaptureFiles} reads
 * and exports them.
 */
package dev.sluice.cache.learn.capture;
