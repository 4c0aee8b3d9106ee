package dev.sluice.budget.engine;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The calibrated output reservation: per model, an exponentially weighted mean and variance of the output tokens
 * actually produced, and an estimate of mean + k·σ, clamped to [min, max_tokens]. Before a model has been seen the
 * estimate is {@code initial}. Each replica learns on its own; the estimate only moves a reservation between
 * "reserved" and "slack", never the overshoot bound, which rests on {@code max_tokens} alone.
 */
public final class OutputEstimator {
    private static final double ALPHA = 0.05;
    private static final int MAX_MODELS = 512;

    private final long initial;
    private final double sigmas;
    private final long min;
    private final ConcurrentHashMap<String, Stats> models = new ConcurrentHashMap<>();

    public OutputEstimator(long initialTokens, double sigmas, long minTokens) {
        if (initialTokens < 1 || sigmas < 0 || minTokens < 0) {
            throw new IllegalArgumentException("output estimate: initial " + initialTokens + ", sigmas " + sigmas + ", min " + minTokens
                    + " (expected: initial >= 1, sigmas >= 0, min >= 0)");
        }
        this.initial = initialTokens;
        this.sigmas = sigmas;
        this.min = minTokens;
    }

    public static OutputEstimator defaults() {
        return new OutputEstimator(2048, 2.0, 256);
    }

    /** Output tokens to reserve for a request to {@code model} allowing {@code maxTokens}. */
    public long estimate(String model, long maxTokens) {
        Stats s = model == null ? null : models.get(model);
        long guess = s == null ? initial : s.estimate(sigmas);
        long bound = maxTokens > 0 ? maxTokens : Long.MAX_VALUE;
        return Math.min(bound, Math.max(min, guess));
    }

    /** Learns from a completed attempt. The model map is bounded: client-chosen model names cannot grow it. */
    public void observe(String model, long outputTokens) {
        if (model == null || outputTokens < 0) {
            return;
        }
        Stats s = models.get(model);
        if (s == null) {
            if (models.size() >= MAX_MODELS) {
                return;
            }
            s = models.computeIfAbsent(model, m -> new Stats(outputTokens));
        }
        s.add(outputTokens);
    }

    private static final class Stats {
        private double mean;
        private double var;

        Stats(long first) {
            mean = first;
        }

        synchronized void add(long x) {
            double diff = x - mean;
            mean += ALPHA * diff;
            var = (1 - ALPHA) * (var + ALPHA * diff * diff);
        }

        synchronized long estimate(double k) {
            return (long) Math.ceil(mean + k * Math.sqrt(var));
        }
    }
}
