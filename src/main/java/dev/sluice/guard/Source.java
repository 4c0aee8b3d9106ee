package dev.sluice.guard;

/**
 * Who wrote a piece of text, as far as the body tells: the weight a prompt-injection signal gets
 * depends on it, because instructions arriving in a tool result or a fetched web page did not come
 * from the developer.
 */
public enum Source {
    USER(0.5),
    ASSISTANT(0.3),
    TOOL_RESULT(1.0),
    DOCUMENT(1.0),
    SYSTEM(0.5),
    TOOL_DEFINITION(1.0),
    ANSWER(1.0),
    OTHER(0.5);

    private final double injectionWeight;

    Source(double injectionWeight) {
        this.injectionWeight = injectionWeight;
    }

    /** How much an instruction-override phrase found here counts towards the injection score. */
    public double injectionWeight() {
        return injectionWeight;
    }
}
