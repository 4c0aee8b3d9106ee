/**
 * The cache learns from its own traffic (issue 8): {@code capture} keeps the shape of each request (digests of
 * the key's parts, never prompt text unless asked), {@code misses} explains each miss by its nearest earlier
 * request, {@code replay} runs a capture against other cache policies offline, the way a cache simulator
 * replays a trace, and {@code advice} prices prompt-cache TTLs and breakpoints from the same data.
 *
 * <pre>
 *  CacheStage ──► ShapeCapture ──► CaptureLog (one writer thread) ──► &lt;dir&gt;/shapes.jsonl, rotated
 *                                                                         │
 *        sluice cache misses / GET /admin/cache/misses ◄── MissAnalysis ◄─┤
 *        sluice replay --capture FILE --policies P     ◄── TrafficReplay ◄┤
 *        sluice cache advice                           ◄── PromptAdvice ◄─┘
 * </pre>
 */
package dev.sluice.cache.learn;
