package dev.sluice.guard.stage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sluice.config.GuardConfig;
import dev.sluice.config.Part;
import dev.sluice.guard.GuardPolicy;
import dev.sluice.guard.GuardRules;
import dev.sluice.guard.Redactor;
import dev.sluice.guard.webhook.WebhookSettings;
import dev.sluice.pipeline.Identity;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The {@code guard:} section compiled: the policies in the order they are tried (the section's own last, matching
 * everything), each with its scan policy and its actions; the redactor; the webhook; whether answers are scanned.
 * Compiled when a configuration is applied, so an unknown rule, a bad action word or a pattern that does not
 * compile refuses the file and the running version keeps serving. Immutable apart from a bounded cache of
 * per-tenant policies (same rules, the tenant's scope).
 */
public final class GuardSettings {
    public static final Part<GuardSettings> PART = Part.of("guard", c -> compile(c.guard()));

    static final Duration DEFAULT_WEBHOOK_TIMEOUT = Duration.ofMillis(500);
    private static final int WEBHOOK_MAX_RESPONSE = 64 * 1024;
    /** Without a configured key placeholders must still agree from turn to turn: one random key per process. */
    private static final class ProcessRedactor {
        static final Redactor INSTANCE = Redactor.withRandomKey();
    }

    private final boolean enabled;
    private final List<Entry> entries;
    private final Redactor redactor;
    private final boolean keyConfigured;
    private final WebhookSettings webhook;
    private final boolean webhookAlways;
    private final boolean scanAnswers;
    private final Cache<ScopeKey, GuardPolicy> scoped = Caffeine.newBuilder().maximumSize(10_000).build();

    /** One policy: who it is for, what it scans, what findings lead to; {@code name} is its configuration key. */
    record Entry(String name, PolicyMatch match, GuardPolicy policy, ActionTable actions) {
    }

    private record ScopeKey(Entry entry, String scope) {
    }

    private GuardSettings(boolean enabled, List<Entry> entries, Redactor redactor, boolean keyConfigured, WebhookSettings webhook,
                          boolean webhookAlways, boolean scanAnswers) {
        this.enabled = enabled;
        this.entries = List.copyOf(entries);
        this.redactor = redactor;
        this.keyConfigured = keyConfigured;
        this.webhook = webhook;
        this.webhookAlways = webhookAlways;
        this.scanAnswers = scanAnswers;
    }

    /** @throws IllegalArgumentException naming the key, for anything the section cannot mean */
    static GuardSettings compile(GuardConfig g) {
        Set<String> known = new TreeSet<>();
        GuardRules.builtIn().forEach(r -> known.add(r.name()));
        ActionTable base = ActionTable.BUILT_IN.over(g.actions(), "guard.actions", withCustom(known, g.rules()));
        // The section's own policy first, so a mistake in it is reported under its own key, not a policy's that inherits it.
        Entry own = new Entry("guard", PolicyMatch.ALL, PolicyRules.build(g.rules(), "guard.rules"), base);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < g.policies().size(); i++) {
            GuardConfig.Policy p = g.policies().get(i);
            String where = "guard.policies[" + i + "]";
            GuardConfig.Rules rules = PolicyRules.merge(g.rules(), p.rules());
            GuardPolicy policy = PolicyRules.build(rules, where + ".rules");
            entries.add(new Entry(where, PolicyMatch.of(p.match()), policy, base.over(p.actions(), where + ".actions", withCustom(known, rules))));
        }
        entries.add(own);
        boolean keyed = g.redactionKey() != null && !g.redactionKey().isEmpty();
        Redactor redactor;
        try {
            redactor = keyed ? new Redactor(g.redactionKey().getBytes(StandardCharsets.UTF_8)) : ProcessRedactor.INSTANCE;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("guard.redaction-key: " + e.getMessage());
        }
        String answers = g.answers().strip().toLowerCase(Locale.ROOT);
        if (!answers.equals("off") && !answers.equals("flag")) {
            throw new IllegalArgumentException("guard.answers: '" + g.answers() + "' (expected: off or flag)");
        }
        GuardConfig.Webhook w = g.webhook();
        return new GuardSettings(g.enabled(), entries, redactor, keyed, w == null ? null : webhook(w), w != null && always(w),
                answers.equals("flag"));
    }

    private static Set<String> withCustom(Set<String> known, GuardConfig.Rules rules) {
        if (rules == null || rules.custom() == null) {
            return known;
        }
        Set<String> all = new TreeSet<>(known);
        rules.custom().forEach(c -> all.add(c.name()));
        return all;
    }

    private static WebhookSettings webhook(GuardConfig.Webhook w) {
        if (w.url() == null) {
            throw new IllegalArgumentException("guard.webhook.url: missing (expected: an http or https URL)");
        }
        String mode = w.failMode() == null ? "open" : w.failMode().strip().toLowerCase(Locale.ROOT);
        if (!mode.equals("open") && !mode.equals("closed")) {
            throw new IllegalArgumentException("guard.webhook.fail-mode: '" + w.failMode() + "' (expected: open or closed)");
        }
        try {
            return new WebhookSettings(URI.create(w.url()), w.timeout() == null ? DEFAULT_WEBHOOK_TIMEOUT : w.timeout(),
                    mode.equals("open") ? WebhookSettings.FailMode.OPEN : WebhookSettings.FailMode.CLOSED, w.token(), WEBHOOK_MAX_RESPONSE);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("guard.webhook: " + e.getMessage());
        }
    }

    private static boolean always(GuardConfig.Webhook w) {
        String call = w.call() == null ? "findings" : w.call().strip().toLowerCase(Locale.ROOT);
        if (!call.equals("findings") && !call.equals("always")) {
            throw new IllegalArgumentException("guard.webhook.call: '" + w.call() + "' (expected: findings or always)");
        }
        return call.equals("always");
    }

    public boolean enabled() {
        return enabled;
    }

    /** The first policy that matches (the section's own when no other does). */
    Entry entryFor(Identity who, Supplier<String> upstream, String model) {
        for (Entry e : entries) {
            if (e.match().matches(who, upstream, model)) {
                return e;
            }
        }
        throw new IllegalStateException("the section's own policy matches everything");
    }

    /**
     * The entry's policy scoped to the caller's tenant: the incremental scan's cache is keyed by the policy's
     * fingerprint, so no tenant's conversations share entries with another's (not even timing).
     */
    GuardPolicy policyFor(Entry e, Identity who) {
        String scope = scope(who);
        return scoped.get(new ScopeKey(e, scope), k -> k.entry().policy().withScope(e.name() + "|" + k.scope()));
    }

    static String scope(Identity who) {
        if (who == null) {
            return "anonymous";
        }
        if (who.orgId() != null) {
            return "org:" + who.orgId();
        }
        return "key:" + who.keyId();
    }

    Redactor redactor() {
        return redactor;
    }

    /** False when placeholders use this process's random key (they change at restart and differ between replicas). */
    public boolean redactionKeyConfigured() {
        return keyConfigured;
    }

    WebhookSettings webhook() {
        return webhook;
    }

    boolean webhookAlways() {
        return webhookAlways;
    }

    boolean scanAnswers() {
        return scanAnswers;
    }

    /**
     * The policy a cache write of {@code who}'s answer is checked with: the first entry matching the caller by org,
     * team, user or key. The write check knows neither the route nor the model, so entries matched by those do not
     * apply to it; the section's own policy when nothing else matches.
     */
    public GuardPolicy writePolicy(Identity who) {
        return entryFor(who, () -> null, null).policy();
    }

    /** The section's own policy: what answers are scanned with when no caller is known. */
    public GuardPolicy defaultPolicy() {
        return entries.getLast().policy();
    }
}
