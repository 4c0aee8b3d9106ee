/**
 * The contract between the engine and the detectors ({@link dev.sluice.guard.detect.Detector},
 * {@link dev.sluice.guard.detect.Keyword}, {@link dev.sluice.guard.detect.Text},
 * {@link dev.sluice.guard.detect.Emitter}) and what detectors share: byte classes, entropy, JSON escape
 * decoding, assignment syntax, and the documented examples and placeholders that must never be reported.
 */
package dev.sluice.guard.detect;
