package dev.sluice.guard;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a tenant wants scanned: secrets (on by default), personal data (off by default, switched on per
 * rule or all at once), prompt injection (on, reported at a score of {@value #DEFAULT_INJECTION_THRESHOLD}),
 * rules switched off by name, a minimum severity, and the operator's own rules. Immutable; its
 * {@link #fingerprint()} keys every cache of scan results, so two policies never share one.
 */
public final class GuardPolicy {
    public static final double DEFAULT_INJECTION_THRESHOLD = 0.7;
    private static final GuardPolicy DEFAULTS = builder().build();

    private final String scope;
    private final boolean secrets;
    private final boolean injection;
    private final Set<String> pii;
    private final Set<String> disabled;
    private final double injectionThreshold;
    private final Severity minimumSeverity;
    private final List<CustomRule> customRules;
    private final long fingerprint;

    private GuardPolicy(Builder b) {
        this.scope = b.scope;
        this.secrets = b.secrets;
        this.injection = b.injection;
        this.pii = Set.copyOf(b.pii);
        this.disabled = Set.copyOf(b.disabled);
        this.injectionThreshold = b.injectionThreshold;
        this.minimumSeverity = b.minimumSeverity;
        this.customRules = List.copyOf(b.customRules);
        this.fingerprint = computeFingerprint();
    }

    private GuardPolicy(GuardPolicy p, String scope) {
        this.scope = scope;
        this.secrets = p.secrets;
        this.injection = p.injection;
        this.pii = p.pii;
        this.disabled = p.disabled;
        this.injectionThreshold = p.injectionThreshold;
        this.minimumSeverity = p.minimumSeverity;
        this.customRules = p.customRules;
        this.fingerprint = computeFingerprint();
    }

    /**
     * The same rules for another tenant: only the scope (and so the fingerprint) differs, so the incremental
     * guard keeps that tenant's conversations apart from everyone else's. No rule is checked again.
     */
    public GuardPolicy withScope(String value) {
        Objects.requireNonNull(value, "scope");
        if (value.length() > 200) {
            throw new IllegalArgumentException("scope: " + value.length() + " characters (expected: at most 200)");
        }
        return value.equals(scope) ? this : new GuardPolicy(this, value);
    }

    /** Secrets and injection on, personal data off, no custom rules. */
    public static GuardPolicy defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** True when findings of {@code rule} are reported under this policy. */
    public boolean enabled(Rule rule) {
        if (disabled.contains(rule.name())) {
            return false;
        }
        if (rule.category() != Category.INJECTION && !rule.severity().atLeast(minimumSeverity)) {
            return false;
        }
        return switch (rule.category()) {
            case SECRET -> secrets;
            case PII -> pii.contains(rule.name());
            case INJECTION -> injection;
            case CUSTOM -> true;
        };
    }

    public double injectionThreshold() {
        return injectionThreshold;
    }

    public List<CustomRule> customRules() {
        return customRules;
    }

    public String scope() {
        return scope;
    }

    /** A 64-bit digest of everything that changes what a scan reports (and the scope), for cache keys. */
    public long fingerprint() {
        return fingerprint;
    }

    private long computeFingerprint() {
        StringBuilder s = new StringBuilder(scope).append('|').append(secrets).append('|').append(injection).append('|')
                .append(new TreeSet<>(pii)).append('|').append(new TreeSet<>(disabled)).append('|').append(injectionThreshold)
                .append('|').append(minimumSeverity).append('|').append(customRules);
        byte[] b = s.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long h = 0xcbf29ce484222325L;
        for (byte x : b) {
            h = (h ^ (x & 0xff)) * 0x100000001b3L;
        }
        return h ^ (h >>> 29);
    }

    @Override
    public String toString() {
        return "GuardPolicy[scope=" + scope + ", secrets=" + secrets + ", pii=" + new TreeSet<>(pii) + ", injection=" + injection
                + " at " + injectionThreshold + ", disabled=" + new TreeSet<>(disabled) + ", minimum=" + minimumSeverity.label()
                + ", custom rules=" + customRules.size() + "]";
    }

    /** Builds a policy; {@link #build()} checks every rule name against the built-in and custom rules. */
    public static final class Builder {
        private String scope = "";
        private boolean secrets = true;
        private boolean injection = true;
        private final Set<String> pii = new LinkedHashSet<>();
        private final Set<String> disabled = new LinkedHashSet<>();
        private double injectionThreshold = DEFAULT_INJECTION_THRESHOLD;
        private Severity minimumSeverity = Severity.LOW;
        private final List<CustomRule> customRules = new ArrayList<>();

        private Builder() {
        }

        /** A label for whose policy this is (a tenant, a team); part of the fingerprint so caches never mix tenants. */
        public Builder scope(String value) {
            Objects.requireNonNull(value, "scope");
            if (value.length() > 200) {
                throw new IllegalArgumentException("scope: " + value.length() + " characters (expected: at most 200)");
            }
            this.scope = value;
            return this;
        }

        public Builder secrets(boolean on) {
            this.secrets = on;
            return this;
        }

        public Builder injection(boolean on) {
            this.injection = on;
            return this;
        }

        /** Turns on the named personal-data rules ("email", "phone-number", "us-ssn", "credit-card", "iban", "ip-address"). */
        public Builder pii(String... rules) {
            for (String r : rules) {
                pii.add(Objects.requireNonNull(r, "pii rule").toLowerCase(Locale.ROOT));
            }
            return this;
        }

        /** Turns on every personal-data rule. */
        public Builder allPii() {
            GuardRules.builtIn().stream().filter(r -> r.category() == Category.PII).forEach(r -> pii.add(r.name()));
            return this;
        }

        /** Switches rules off by name, whatever their category. */
        public Builder disable(String... rules) {
            for (String r : rules) {
                disabled.add(Objects.requireNonNull(r, "rule").toLowerCase(Locale.ROOT));
            }
            return this;
        }

        public Builder injectionThreshold(double value) {
            if (!(value > 0 && value <= 1)) {
                throw new IllegalArgumentException("injection threshold: " + value + " (expected: 0 < threshold <= 1)");
            }
            this.injectionThreshold = value;
            return this;
        }

        /** Secrets, personal data and custom rules below this severity are not reported. */
        public Builder minimumSeverity(Severity value) {
            this.minimumSeverity = Objects.requireNonNull(value, "minimum severity");
            return this;
        }

        public Builder customRules(List<CustomRule> rules) {
            Objects.requireNonNull(rules, "custom rules");
            if (customRules.size() + rules.size() > CustomRule.MAX_RULES) {
                throw new IllegalArgumentException("custom rules: " + (customRules.size() + rules.size()) + " (expected: at most "
                        + CustomRule.MAX_RULES + ")");
            }
            customRules.addAll(rules);
            return this;
        }

        public GuardPolicy build() {
            Set<String> known = new TreeSet<>();
            GuardRules.builtIn().forEach(r -> known.add(r.name()));
            Set<String> custom = new TreeSet<>();
            for (CustomRule r : customRules) {
                if (known.contains(r.name()) || !custom.add(r.name())) {
                    throw new IllegalArgumentException("custom rule '" + r.name() + "': the name is taken (expected: a name no other rule has)");
                }
            }
            for (String name : pii) {
                GuardRules.builtIn().stream().filter(r -> r.name().equals(name) && r.category() == Category.PII).findAny()
                        .orElseThrow(() -> new IllegalArgumentException("pii rule '" + name + "' is unknown (expected one of: "
                                + GuardRules.names(Category.PII) + ")"));
            }
            for (String name : disabled) {
                if (!known.contains(name) && !custom.contains(name)) {
                    throw new IllegalArgumentException("disabled rule '" + name + "' is unknown (expected one of: " + known + " or a custom rule)");
                }
            }
            return new GuardPolicy(this);
        }
    }
}
