/**
 * Tuning the semantic cache from what it learned (issue 8): {@link dev.sluice.cache.learn.tuning.ThresholdTuning}
 * proposes a base threshold per model glob from the verdicts the gateway collected (shadow comparisons, feedback,
 * refresh signals) with the captured misses it would turn into hits, and
 * {@link dev.sluice.cache.learn.tuning.ConfigEdit} writes an accepted proposal into the configuration text, applied
 * as a new version that {@code SemanticRollback} puts on trial.
 */
package dev.sluice.cache.learn.tuning;
