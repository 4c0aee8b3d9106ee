/**
 * Thresholds that learn: per-entry decision boundaries learned online from verdicts on hits and
 * would-be hits under a user-set error bound ({@link dev.sluice.cache.semantic.learn.ThresholdLearner},
 * after vCache), and the record of what shadow mode saw ({@link dev.sluice.cache.semantic.learn.ShadowLog}).
 */
package dev.sluice.cache.semantic.learn;
