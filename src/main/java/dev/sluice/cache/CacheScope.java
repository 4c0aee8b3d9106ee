package dev.sluice.cache;

import dev.sluice.pipeline.Identity;
import java.util.Locale;

/**
 * Who shares entries, chosen per route. Entries are always kept per organization first; within it,
 * shared by the whole org (the default), a team, a user, or only the key that stored them. A caller
 * without the chosen owner (a static key has no team) falls back to its key: narrower, never wider.
 */
public enum CacheScope {
    ORG, TEAM, USER, KEY;

    /** The organization part of a store key: {@code "-"} for callers without one (open local mode, static keys). */
    public static String org(Identity id) {
        return id.orgId() == null ? "-" : id.orgId();
    }

    /** The scope part of a store key for this caller. */
    public String scopeOf(Identity id) {
        return switch (this) {
            case ORG -> "org";
            case TEAM -> id.teamId() != null ? "team:" + id.teamId() : "key:" + id.keyId();
            case USER -> id.userId() != null ? "user:" + id.userId() : "key:" + id.keyId();
            case KEY -> "key:" + id.keyId();
        };
    }

    public static CacheScope parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cache scope: '" + value + "' (expected: org, team, user or key)");
        }
    }
}
