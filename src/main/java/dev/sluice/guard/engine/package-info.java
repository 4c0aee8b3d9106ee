/**
 * The scanning machinery behind {@link dev.sluice.guard.GuardScanner}: the JSON walker that decodes strings as
 * it finds them, the keyword automaton and its prefilter (run from the keywords' starts, or over every byte in interleaved chains), the per-thread work state that maps
 * decoded offsets back to body offsets and builds locations, injection scoring and overlap resolution. Not an
 * API: the classes here change with the engine.
 */
package dev.sluice.guard.engine;
