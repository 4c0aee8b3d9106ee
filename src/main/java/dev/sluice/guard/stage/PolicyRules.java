package dev.sluice.guard.stage;

import dev.sluice.config.GuardConfig;
import dev.sluice.guard.CustomRule;
import dev.sluice.guard.GuardPolicy;
import dev.sluice.guard.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns the configuration's {@code rules:} (the section's, with a policy's laid over it) into a {@link GuardPolicy}. */
final class PolicyRules {
    private PolicyRules() {
    }

    /** {@code over}'s fields where it has them, else {@code base}'s. */
    static GuardConfig.Rules merge(GuardConfig.Rules base, GuardConfig.Rules over) {
        if (over == null) {
            return base;
        }
        return new GuardConfig.Rules(pick(over.secrets(), base.secrets()), pick(over.pii(), base.pii()),
                pick(over.injection(), base.injection()), pick(over.injectionThreshold(), base.injectionThreshold()),
                pick(over.disable(), base.disable()), pick(over.minimumSeverity(), base.minimumSeverity()),
                pick(over.custom(), base.custom()));
    }

    private static <T> T pick(T over, T base) {
        return over != null ? over : base;
    }

    /**
     * The scan policy; {@code where} names the configuration key in error messages.
     *
     * @throws IllegalArgumentException naming the key, for an unknown rule, severity or a pattern that does not compile
     */
    static GuardPolicy build(GuardConfig.Rules r, String where) {
        GuardPolicy.Builder b = GuardPolicy.builder();
        try {
            return build(b, r);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static GuardPolicy build(GuardPolicy.Builder b, GuardConfig.Rules r) {
        if (r.secrets() != null) {
            b.secrets(r.secrets());
        }
        if (r.injection() != null) {
            b.injection(r.injection());
        }
        if (r.pii() != null) {
            for (String name : r.pii()) {
                if ("all".equalsIgnoreCase(name)) {
                    b.allPii();
                } else {
                    b.pii(name);
                }
            }
        }
        if (r.disable() != null) {
            b.disable(r.disable().toArray(String[]::new));
        }
        if (r.minimumSeverity() != null) {
            b.minimumSeverity(severity(r.minimumSeverity(), "minimum-severity"));
        }
        if (r.injectionThreshold() != null) {
            b.injectionThreshold(r.injectionThreshold());
        }
        if (r.custom() != null) {
            List<CustomRule> custom = new ArrayList<>();
            for (int i = 0; i < r.custom().size(); i++) {
                GuardConfig.CustomRule c = r.custom().get(i);
                custom.add(new CustomRule(c.name(), severity(c.severity() == null ? "high" : c.severity(), "custom[" + i + "].severity"),
                        c.keywords() == null ? List.of() : c.keywords(), c.pattern() == null ? "" : c.pattern()));
            }
            b.customRules(custom);
        }
        return b.build();
    }

    static Severity severity(String s, String key) {
        try {
            return Severity.valueOf(s.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": '" + s + "' (expected: low, medium, high or critical)");
        }
    }
}
