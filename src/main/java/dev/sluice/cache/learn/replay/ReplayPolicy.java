package dev.sluice.cache.learn.replay;

import dev.sluice.cache.learn.capture.Shape;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One cache policy to replay a capture against. Every setting may be left as recorded (null).
 *
 * @param name       how the report names it
 * @param ttl        how long an answer is kept; null: the TTL each request got
 * @param scope      who shares answers: {@code org}, {@code team}, {@code user}; null: the scope each request had
 * @param rewrite    workspace-relative rewriting (paths, git user, date, tool-use ids as placeholders); null: as recorded
 * @param whitespace text whitespace normalisation (CRLF, trailing blanks); null: as recorded
 * @param namespaces {@code true}: each request's namespace separates entries (as the gateway does); {@code false}:
 *                   one namespace for all (what serving across deploys would do)
 * @param busts      {@code true}: busts in the capture empty the scope, as they did
 */
public record ReplayPolicy(String name, Duration ttl, String scope, Boolean rewrite, Boolean whitespace, boolean namespaces,
                           boolean busts) {
    private static final List<String> SCOPES = List.of("org", "team", "user");

    public ReplayPolicy {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.length() > 64) {
            throw new IllegalArgumentException("policy name: '" + name + "' (expected: 1 to 64 characters)");
        }
        if (ttl != null && (ttl.isNegative() || ttl.isZero() || ttl.compareTo(Duration.ofDays(365)) > 0)) {
            throw new IllegalArgumentException("policy " + name + ": ttl " + ttl + " (expected: more than 0, at most 365d)");
        }
        if (scope != null) {
            scope = scope.trim().toLowerCase(Locale.ROOT);
            if (!SCOPES.contains(scope)) {
                throw new IllegalArgumentException("policy " + name + ": scope '" + scope + "' (expected: org, team or user)");
            }
        }
    }

    /** The capture as it ran: recorded TTLs, scopes, rules and namespaces. */
    public static ReplayPolicy recorded() {
        return new ReplayPolicy("as-recorded", null, null, null, null, true, true);
    }

    /** What the policy does by default when no file is given: the recorded run and one change at a time. */
    public static List<ReplayPolicy> defaults() {
        return List.of(recorded(),
                new ReplayPolicy("exact-keys", null, null, false, null, true, true),
                new ReplayPolicy("workspace-relative", null, null, true, null, true, true),
                new ReplayPolicy("+whitespace", null, null, true, true, true, true),
                new ReplayPolicy("per-user", null, "user", null, null, true, true),
                new ReplayPolicy("ttl-5m", Duration.ofMinutes(5), null, null, null, true, true),
                new ReplayPolicy("ttl-24h", Duration.ofHours(24), null, null, null, true, true),
                new ReplayPolicy("ignore-namespaces", null, null, null, null, false, true));
    }

    /** The key variant this policy uses for a request keyed under {@code rules} (the recorded fingerprint). */
    Shape.Variant variant(String rules) {
        String r = rules == null ? "" : rules;
        boolean rw = rewrite != null ? rewrite : r.contains("workspace-paths");
        boolean ws = whitespace != null ? whitespace : r.contains("text-whitespace");
        return Shape.Variant.of(rw, ws);
    }

    /** The store scope this policy gives a request. */
    String scopeOf(Shape s) {
        if (scope == null) {
            return s.scope();
        }
        return switch (scope) {
            case "org" -> "org";
            case "team" -> s.team() != null ? "team:" + s.team() : "user:" + s.user();
            default -> "user:" + s.user();
        };
    }
}
