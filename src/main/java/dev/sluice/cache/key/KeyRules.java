package dev.sluice.cache.key;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;

/** The rules a route keys with, and the fingerprint (format and rule versions) every key starts with. */
public final class KeyRules {
    private final EnumSet<KeyRule> rules;
    private final byte[] fingerprint;

    private KeyRules(EnumSet<KeyRule> rules) {
        this.rules = rules;
        StringBuilder sb = new StringBuilder("sluice-key/").append(RequestKeyer.FORMAT);
        for (KeyRule r : rules) {
            sb.append(';').append(r.label()).append('@').append(r.version());
        }
        this.fingerprint = sb.toString().getBytes(UTF_8);
    }

    public static KeyRules defaults() {
        EnumSet<KeyRule> on = EnumSet.noneOf(KeyRule.class);
        for (KeyRule r : KeyRule.values()) {
            if (r.defaultOn()) {
                on.add(r);
            }
        }
        return new KeyRules(on);
    }

    /** Exact keys only: no developer-specific value is replaced. */
    public static KeyRules exact() {
        return new KeyRules(EnumSet.of(KeyRule.BILLING_HEADER));
    }

    public static KeyRules of(Collection<KeyRule> rules) {
        return new KeyRules(rules.isEmpty() ? EnumSet.noneOf(KeyRule.class) : EnumSet.copyOf(rules));
    }

    public boolean has(KeyRule rule) {
        return rules.contains(rule);
    }

    public Set<KeyRule> rules() {
        return EnumSet.copyOf(rules);
    }

    /** "sluice-key/2;claude-code-billing-header@1;..." as bytes: hashed first into every key. */
    byte[] fingerprint() {
        return fingerprint;
    }

    public String describe() {
        return new String(fingerprint, UTF_8);
    }

    @Override
    public String toString() {
        return describe();
    }
}
