package dev.sluice.budget.limit;

import dev.sluice.budget.rules.BudgetConfigException;
import dev.sluice.budget.rules.BudgetsConfig.RateLimitConfig;
import dev.sluice.pipeline.Identity;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One rate limit.
 *
 * @param level              key, user, team or upstream-key
 * @param id                 an id or {@code *} for each one separately
 * @param requestsPerMinute  0 for no request limit
 * @param tokensPerMinute    0 for no token limit
 */
public record RateRule(String name, String level, String id, long requestsPerMinute, long tokensPerMinute, Algorithm algorithm) {

    public enum Algorithm { SLIDING_WINDOW, TOKEN_BUCKET }

    static final Set<String> LEVELS = Set.of("key", "user", "team", "upstream-key");

    /** The subject this rule counts for a request, or null when it does not apply. */
    String subject(Identity who, String upstreamKey) {
        String v = switch (level) {
            case "key" -> who == null ? null : who.keyId();
            case "user" -> who == null ? null : who.userId();
            case "team" -> who == null ? null : who.teamId();
            default -> upstreamKey;
        };
        if (v == null || !("*".equals(id) || id.equals(v))) {
            return null;
        }
        return v;
    }

    public static List<RateRule> fromConfig(String origin, List<RateLimitConfig> configs) {
        List<RateRule> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; configs != null && i < configs.size(); i++) {
            RateLimitConfig c = configs.get(i);
            String where = "budgets.rate-limits[" + i + "]";
            if (c == null || c.name() == null || !c.name().matches("[A-Za-z0-9_.\\-]{1,64}") || !names.add(c.name())) {
                problems.add(where + ".name: '" + (c == null ? null : c.name()) + "' (expected: a unique name of letters, digits, '_', '.', '-')");
                continue;
            }
            String level = c.level() == null ? "" : c.level().trim().toLowerCase(Locale.ROOT);
            if (!LEVELS.contains(level)) {
                problems.add(where + ".level: '" + c.level() + "' (expected one of: key, user, team, upstream-key)");
            }
            if (c.id() == null || c.id().isBlank()) {
                problems.add(where + ".id: missing (expected: an id or '*')");
            }
            long rpm = c.requestsPerMinute() == null ? 0 : c.requestsPerMinute();
            long tpm = c.tokensPerMinute() == null ? 0 : c.tokensPerMinute();
            if (rpm < 0 || tpm < 0 || rpm + tpm == 0) {
                problems.add(where + ": requests-per-minute " + rpm + ", tokens-per-minute " + tpm + " (expected: at least one > 0, none negative)");
            }
            String alg = c.algorithm() == null ? "sliding-window" : c.algorithm().trim().toLowerCase(Locale.ROOT);
            Algorithm a = switch (alg) {
                case "sliding-window" -> Algorithm.SLIDING_WINDOW;
                case "token-bucket" -> Algorithm.TOKEN_BUCKET;
                default -> null;
            };
            if (a == null) {
                problems.add(where + ".algorithm: '" + c.algorithm() + "' (expected: sliding-window or token-bucket)");
            }
            if (problems.isEmpty()) {
                out.add(new RateRule(c.name(), level, c.id().trim(), rpm, tpm, a));
            }
        }
        if (!problems.isEmpty()) {
            throw new BudgetConfigException(origin, problems);
        }
        return out;
    }
}
