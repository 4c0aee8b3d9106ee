package dev.sluice.budget.rules;

import dev.sluice.pipeline.Identity;
import java.util.Locale;

/** Where a budget sits in the hierarchy, widest first. A tag budget spans every key that carries the tag. */
public enum Level {
    ORG, TEAM, USER, KEY, TAG;

    /** The identity's id at this level, or null when it has none (a key without a team). Tags are matched elsewhere. */
    public String idOf(Identity who) {
        return switch (this) {
            case ORG -> who.orgId();
            case TEAM -> who.teamId();
            case USER -> who.userId();
            case KEY -> who.keyId();
            case TAG -> null;
        };
    }

    /** True for budgets several people draw from; Claude Code shows these as {@code group_pool}. */
    public boolean shared() {
        return this == ORG || this == TEAM || this == TAG;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Level parse(String text) {
        for (Level l : values()) {
            if (l.label().equals(text)) {
                return l;
            }
        }
        return null;
    }
}
