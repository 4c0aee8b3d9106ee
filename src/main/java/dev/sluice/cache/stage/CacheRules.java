package dev.sluice.cache.stage;

import dev.sluice.cache.CacheMode;
import dev.sluice.cache.CachePolicy;
import dev.sluice.cache.CacheScope;
import dev.sluice.cache.entry.CaptureCheck;
import dev.sluice.cache.key.KeyRule;
import dev.sluice.cache.key.KeyRules;
import dev.sluice.config.CacheConfig;
import dev.sluice.config.ConfigException;
import dev.sluice.config.Part;
import dev.sluice.config.SluiceConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import dev.sluice.wire.Glob;
import java.util.regex.Pattern;

/**
 * The {@code cache:} section compiled for one configuration snapshot: whether the cache is on, and the policy
 * of each requested model (the first {@code routes} entry whose {@code match} fits, else {@code defaults}).
 * Every problem is reported at once, each naming its key, and a file with one is refused as a whole.
 */
public final class CacheRules {
    public static final Part<CacheRules> PART = Part.of("cache", c -> compile(c));

    /**
     * What a request's model gets: the cache policy, whether its prompt-cache breakpoints may be upgraded, whether
     * what is forwarded carries the team's stand-ins instead of the developer's own values ({@code normalise-upstream}),
     * and whether a breakpoint is added where its conversation forks from one forwarded before ({@code fork-breakpoint}).
     */
    public record RoutePolicy(CachePolicy policy, boolean ttlUpgrade, boolean normaliseUpstream, boolean forkBreakpoint) {
    }

    private record Route(Pattern glob, RoutePolicy policy) {
    }

    private static final Pattern RULE = Pattern.compile("([a-z-]+)(?:@(\\d{1,4}))?");
    private static final long MAX_TTL_SECONDS = Duration.ofDays(365).toSeconds();

    private final boolean enabled;
    private final RoutePolicy defaults;
    private final List<Route> routes;
    private final SemanticRules semantic;

    private CacheRules(boolean enabled, RoutePolicy defaults, List<Route> routes, SemanticRules semantic) {
        this.enabled = enabled;
        this.defaults = defaults;
        this.routes = routes;
        this.semantic = semantic;
    }

    /** The semantic cache's rules (mode off when the section is absent or the cache is off). */
    public SemanticRules semantic() {
        return enabled ? semantic : SemanticRules.OFF;
    }

    public boolean enabled() {
        return enabled;
    }

    /** The policy for a request asking for {@code model} (null: the defaults). */
    public RoutePolicy forModel(String model) {
        if (model != null) {
            for (Route r : routes) {
                if (r.glob.matcher(model).matches()) {
                    return r.policy;
                }
            }
        }
        return defaults;
    }

    static CacheRules compile(SluiceConfig config) {
        CacheConfig c = config.cache();
        Problems p = new Problems();
        checkStore(c, p);
        if (c.defaults().match() != null) {
            p.add("cache.defaults.match", c.defaults().match(), "no match here: defaults apply to every model (use cache.routes)");
        }
        RoutePolicy defaults = policy("cache.defaults", c.defaults(), CacheConfig.Policy.empty(), p);
        List<Route> routes = new ArrayList<>();
        for (int i = 0; i < c.routes().size(); i++) {
            CacheConfig.Policy r = c.routes().get(i);
            String at = "cache.routes[" + i + "]";
            if (r.match() == null || r.match().isBlank() || r.match().length() > 256) {
                p.add(at + ".match", r.match(), "a model name or glob such as claude-*haiku* (at most 256 characters)");
                continue;
            }
            RoutePolicy rp = policy(at, r, c.defaults(), p);
            routes.add(new Route(glob(r.match()), rp));
        }
        SemanticRules semantic = SemanticRules.compile(c.semantic(), p);
        p.throwIfAny();
        return new CacheRules(c.enabled(), defaults, List.copyOf(routes), semantic);
    }

    private static void checkStore(CacheConfig c, Problems p) {
        CacheConfig.Store s = c.store();
        if (!s.kind().equals("memory") && !s.kind().equals("redis")) {
            p.add("cache.store.kind", s.kind(), "memory or redis");
        }
        if (s.budget().bytes() < (1L << 20) || s.budget().bytes() > (64L << 30)) {
            p.add("cache.store.budget", s.budget().bytes(), "from 1MB to 64GB (and well under the heap for memory)");
        }
        if (s.kind().equals("redis") && (s.url() == null || !(s.url().startsWith("redis://") || s.url().startsWith("rediss://")))) {
            p.add("cache.store.url", s.url() == null ? null : "<set>", "a redis:// or rediss:// URL when cache.store.kind is redis");
        }
        if (s.timeout().toMillis() < 1 || s.timeout().compareTo(Duration.ofSeconds(10)) > 0) {
            p.add("cache.store.timeout", s.timeout().toMillis() + "ms", "from 1ms to 10s");
        }
        if (!c.keyHash().equals("fast") && !c.keyHash().equals("sha256")) {
            p.add("cache.key-hash", c.keyHash(), "fast or sha256");
        }
        int prefixes = c.promptCache().prefixStats();
        if (prefixes < 0 || prefixes > 1_000_000) {
            p.add("cache.prompt-cache.prefix-stats", prefixes, "0 (off) to 1000000 prefixes");
        }
    }

    /** {@code own} over {@code inherited} over the built-in defaults ({@link CachePolicy#defaults()}). */
    private static RoutePolicy policy(String at, CacheConfig.Policy own, CacheConfig.Policy inherited, Problems p) {
        CachePolicy base = CachePolicy.defaults();
        CacheMode mode = base.mode();
        String m = pick(own.mode(), inherited.mode());
        if (m != null) {
            try {
                mode = CacheMode.parse(m.equals("true") ? "on" : m.equals("false") ? "off" : m);
            } catch (IllegalArgumentException e) {
                p.add(at + ".mode", m, "on, off, read-only or write-only");
            }
        }
        CacheScope scope = base.scope();
        String s = pick(own.scope(), inherited.scope());
        if (s != null) {
            try {
                scope = CacheScope.parse(s);
            } catch (IllegalArgumentException e) {
                p.add(at + ".scope", s, "org, team, user or key");
            }
        }
        Duration ttl = pick(own.ttl(), inherited.ttl(), base.defaultTtl());
        Duration maxTtl = pick(own.maxTtl(), inherited.maxTtl(), base.maxTtl());
        if (ttl.isZero() || ttl.toSeconds() > MAX_TTL_SECONDS) {
            p.add(at + ".ttl", ttl.toSeconds() + "s", "from 1s to 365d");
        }
        if (maxTtl.compareTo(ttl) < 0 || maxTtl.toSeconds() > MAX_TTL_SECONDS) {
            p.add(at + ".max-ttl", maxTtl.toSeconds() + "s", "at least the ttl (" + ttl.toSeconds() + "s) and at most 365d");
        }
        String namespace = pick(own.namespace(), inherited.namespace(), "");
        if (!namespace.matches("[A-Za-z0-9._:/@+-]{0,128}")) {
            p.add(at + ".namespace", namespace, "up to 128 of letters, digits and . _ : / @ + -");
        }
        long maxEntry = bytes(pick(own.maxEntry(), inherited.maxEntry()), base.maxEntryBytes());
        long maxRequest = bytes(pick(own.maxRequest(), inherited.maxRequest()), base.maxRequestBytes());
        if (maxEntry < 1024 || maxEntry > (64L << 20)) {
            p.add(at + ".max-entry", maxEntry, "from 1KB to 64MB");
        }
        if (maxRequest < 1024 || maxRequest > (256L << 20)) {
            p.add(at + ".max-request", maxRequest, "from 1KB to 256MB");
        }
        KeyRules rules = rules(at, pick(own.rules(), inherited.rules(), null), p);
        boolean sampled = pick(own.cacheSampled(), inherited.cacheSampled(), base.cacheSampled());
        CaptureCheck.Rules store = new CaptureCheck.Rules(pick(own.storeMaxTokens(), inherited.storeMaxTokens(), false),
                pick(own.storeRefusals(), inherited.storeRefusals(), false));
        boolean upgrade = pick(own.ttlUpgrade(), inherited.ttlUpgrade(), false);
        boolean normalise = pick(own.normaliseUpstream(), inherited.normaliseUpstream(), false);
        boolean fork = pick(own.forkBreakpoint(), inherited.forkBreakpoint(), false);
        if (p.any()) {
            return new RoutePolicy(base, false, false, false); // never served: the whole file is refused
        }
        return new RoutePolicy(new CachePolicy(mode, scope, ttl, maxTtl, rules, sampled, store, maxEntry, maxRequest, namespace),
                upgrade, normalise, fork);
    }

    /** Rule names with an optional version; a version must be the one this gateway implements. */
    private static KeyRules rules(String at, List<String> names, Problems p) {
        if (names == null) {
            return KeyRules.defaults();
        }
        EnumSet<KeyRule> on = EnumSet.noneOf(KeyRule.class);
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i) == null ? "" : names.get(i).trim().toLowerCase(Locale.ROOT);
            var m = RULE.matcher(name);
            try {
                if (!m.matches()) {
                    throw new IllegalArgumentException("not a rule name");
                }
                KeyRule rule = KeyRule.byLabel(m.group(1));
                if (m.group(2) != null && Integer.parseInt(m.group(2)) != rule.version()) {
                    p.add(at + ".rules[" + i + "]", name, "version " + rule.version() + " of " + rule.label()
                            + " (the one this gateway implements; entries keyed with another version are never served)");
                }
                on.add(rule);
            } catch (IllegalArgumentException e) {
                p.add(at + ".rules[" + i + "]", name, "one of " + labels() + ", optionally with @version");
            }
        }
        return KeyRules.of(on);
    }

    private static String labels() {
        List<String> out = new ArrayList<>();
        for (KeyRule r : KeyRule.values()) {
            out.add(r.label());
        }
        return String.join(", ", out);
    }

    private static long bytes(dev.sluice.config.Size size, long fallback) {
        return size == null ? fallback : size.bytes();
    }

    private static <T> T pick(T own, T inherited) {
        return own != null ? own : inherited;
    }

    private static <T> T pick(T own, T inherited, T fallback) {
        return own != null ? own : inherited != null ? inherited : fallback;
    }

    /** A model glob: {@code *} matches any run of characters, everything else is literal. */
    static Pattern glob(String text) {
        return Glob.of(text);
    }

    /** Collects every problem so the operator fixes the file in one pass. */
    static final class Problems {
        private final StringBuilder text = new StringBuilder();

        void add(String key, Object value, String expected) {
            text.append("\n  ").append(key).append(": '").append(value).append("' (expected: ").append(expected).append(')');
        }

        boolean any() {
            return !text.isEmpty();
        }

        void throwIfAny() {
            if (any()) {
                throw new ConfigException("invalid cache configuration:" + text);
            }
        }
    }
}
