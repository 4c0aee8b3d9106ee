package dev.sluice.cache.semantic.learn;

/**
 * A proposed base threshold for the models one glob fits, with the evidence it rests on.
 *
 * @param glob     the {@code cache.semantic.thresholds} key (an existing glob, or a model no glob fits yet)
 * @param current  the base threshold those models have now
 * @param proposed the base threshold proposed ({@code current} when there is nothing to change)
 * @param change   which way it moves
 * @param why      one sentence an operator can check against the evidence
 */
public record ThresholdProposal(String glob, double current, double proposed, Change change, String why, Evidence evidence) {
    /** Which way a proposal moves the threshold. */
    public enum Change { LOWER, RAISE, KEEP }

    /**
     * @param observations    labelled similarities the glob's models had
     * @param right           of which the stored answer was right
     * @param wrong           of which it was wrong
     * @param highestWrong    the highest similarity of a wrong answer (NaN: none)
     * @param servedAtCurrent right answers at or above the current threshold (the hits it keeps)
     * @param servedAtProposed right answers at or above the proposed threshold (the hits it would have)
     * @param wrongAtProposed wrong answers at or above the proposed threshold (always 0: a proposal never serves one)
     * @param errorUpperBound 95% upper bound on the wrong-answer rate at the proposed threshold, from its support
     * @param neededForBound  right answers at or above a threshold that the error bound needs before it goes lower
     */
    public record Evidence(int observations, int right, int wrong, double highestWrong, int servedAtCurrent,
                           int servedAtProposed, int wrongAtProposed, double errorUpperBound, int neededForBound) {
    }
}
