package dev.sluice.cache.normalise;

/** What upstream normalisation did with one request; the label is the metric's {@code outcome} and the response header's value. */
public enum Outcome {
    /** The developer's values and the billing header's per-prompt part were swapped for the team's stand-ins. */
    NORMALISED("normalised"),
    /** The request carries no developer value and no billing header (not Claude Code, or exact key rules). */
    NOTHING_FOUND("nothing-found"),
    /** The keyer could not read the request, so nothing is known about its values. */
    UNKEYED("unkeyed"),
    /** A stand-in already occurs in the request: its answer could not be mapped back with certainty. */
    STAND_IN_PRESENT("stand-in-present"),
    /** A name the developer is known by is left outside the places swapped (an escaped path, their user name in prose). */
    IDENTITY_LEFT("identity-left"),
    /** A developer value holds a character JSON escapes. */
    NEEDS_ESCAPING("needs-escaping"),
    /** Another stage (a guard redaction) already edited bytes a swap would touch. */
    EDIT_CONFLICT("edit-conflict"),
    /** The request came through another front door than Anthropic's (only Claude Code carries these values). */
    OTHER_DOOR("other-door");

    private final String label;

    Outcome(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
