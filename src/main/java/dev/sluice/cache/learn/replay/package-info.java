/**
 * Offline replay of captured traffic against alternative cache policies, the way a cache simulator replays a trace
 * against eviction policies: {@link dev.sluice.cache.learn.replay.TrafficReplay} runs every request of a capture, in
 * time order, through an idealised store per {@link dev.sluice.cache.learn.replay.ReplayPolicy} and reports hit
 * rate, dollars saved and wrong-answer risk. {@code sluice replay --capture FILE [--policies FILE]}.
 */
package dev.sluice.cache.learn.replay;
