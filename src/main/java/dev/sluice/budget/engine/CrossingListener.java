package dev.sluice.budget.engine;

/** Told about each threshold crossing, once. Must return at once (hand the work to another thread). */
@FunctionalInterface
public interface CrossingListener {
    CrossingListener NONE = c -> { };

    void crossed(Crossing crossing);
}
