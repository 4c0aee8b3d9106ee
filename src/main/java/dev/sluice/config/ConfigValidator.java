package dev.sluice.config;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks what binding cannot: ranges, references between sections, allowed words. */
final class ConfigValidator {
    private ConfigValidator() {
    }

    static SluiceConfig validate(String origin, SluiceConfig c) {
        Problems p = new Problems(origin);
        int port = c.server().port();
        p.check(port >= 0 && port <= 65535, "server.port", port, "a port between 0 and 65535");
        p.check(c.server().eventLoops() >= 0, "server.event-loops", c.server().eventLoops(), "0 (one per core) or more");
        p.check(positive(c.server().bodyTimeout().toMillis()), "server.body-timeout", c.server().bodyTimeout(), "a positive duration");
        p.check(positive(c.server().headerTimeout().toMillis()), "server.header-timeout", c.server().headerTimeout(), "a positive duration");
        p.check(positive(c.server().idleTimeout().toMillis()), "server.idle-timeout", c.server().idleTimeout(), "a positive duration");
        p.check(c.server().maxConnections() > 0 && c.server().maxConnections() <= 1_000_000, "server.max-connections",
                c.server().maxConnections(), "a number between 1 and 1,000,000");
        Duration grace = c.server().shutdownGrace();
        p.check(!grace.isNegative() && grace.compareTo(ServerConfig.MAX_SHUTDOWN_GRACE) <= 0, "server.shutdown-grace", grace,
                "a duration from 0s (cut at once) to " + ServerConfig.MAX_SHUTDOWN_GRACE.toMinutes() + "m");
        p.check(c.server().bodiesInFlight().bytes() >= c.server().bodyLimit().bytes(), "server.bodies-in-flight",
                c.server().bodiesInFlight().bytes(), "at least server.body-limit (" + c.server().bodyLimit().bytes() + " bytes)");
        itemStore(p, c.responses().itemStore());
        Set<String> names = new HashSet<>();
        List<UpstreamConfig> ups = c.upstreams();
        for (int i = 0; i < ups.size(); i++) {
            UpstreamConfig u = ups.get(i);
            String at = "upstreams[" + i + "]";
            p.check(u.name() != null && !u.name().isBlank(), at + ".name", u.name(), "a non-empty name");
            p.check(names.add(u.name()), at + ".name", u.name(), "a name not used by another upstream");
            p.check(u.provider() != null && !u.provider().isBlank(), at + ".provider", u.provider(),
                    "a provider name (the gateway checks it against the providers it has when it applies the file)");
            // Bedrock and Vertex derive it from their region; their own check names a bad region.
            boolean regional = (u.provider().equals("bedrock") || u.provider().equals("vertex")) && u.region() != null;
            p.check(regional || isHttpUrl(u.baseUrl()), at + ".base-url", u.baseUrl(), "an http:// or https:// URL");
            p.check(u.maxConnections() > 0, at + ".max-connections", u.maxConnections(), "a positive number");
        }
        for (int i = 0; i < c.routes().size(); i++) {
            RouteConfig r = c.routes().get(i);
            p.check((r.upstream() == null) != r.targets().isEmpty(), "routes[" + i + "]", r.upstream(), "upstream: or targets:, one of them");
            for (int t = 0; t < r.effectiveTargets().size(); t++) {
                String up = r.effectiveTargets().get(t).upstream();
                p.check(names.contains(up), "routes[" + i + "]" + (r.targets().isEmpty() ? "" : ".targets[" + t + "]") + ".upstream",
                        up, "the name of an upstream " + names);
            }
        }
        p.check(positive(c.timeouts().connect().toMillis()), "timeouts.connect", c.timeouts().connect(), "a positive duration");
        p.check(positive(c.timeouts().firstByte().toMillis()), "timeouts.first-byte", c.timeouts().firstByte(), "a positive duration");
        p.check(positive(c.timeouts().idle().toMillis()), "timeouts.idle", c.timeouts().idle(), "a positive duration");
        p.check(positive(c.timeouts().streamTotal().toMillis()), "timeouts.stream-total", c.timeouts().streamTotal(),
                "a positive duration");
        p.check(positive(c.streaming().pingInterval().toMillis()), "streaming.ping-interval", c.streaming().pingInterval(), "a positive duration");
        String disconnect = c.streaming().onClientDisconnect();
        p.check(disconnect.equals("cancel") || disconnect.equals("drain"), "streaming.on-client-disconnect", disconnect, "cancel or drain");
        String kind = c.store().kind();
        p.check(kind.equals("sqlite") || kind.equals("postgres"), "store.kind", kind, "sqlite or postgres");
        p.check(!kind.equals("postgres") || c.store().url() != null, "store.url", c.store().url(), "a jdbc:postgresql:// URL when store.kind is postgres");
        java.time.Duration sync = c.store().journalSync();
        p.check(sync.toMillis() >= 1 && sync.toMillis() <= 1_000, "store.journal-sync", sync, "1ms to 1s");
        p.check(c.metering().multiplier().signum() > 0, "metering.multiplier", c.metering().multiplier(), "a positive number");
        String audit = c.telemetry().auditLog();
        p.check(audit == null || !audit.isBlank(), "telemetry.audit-log", audit, "a file path, stdout or off");
        String otlp = c.telemetry().otlpEndpoint();
        p.check(otlp == null || isHttpUrl(otlp), "telemetry.otlp-endpoint", otlp, "an http:// or https:// URL");
        for (int i = 0; i < c.admin().keys().size(); i++) {
            String role = c.admin().keys().get(i).role();
            p.check(role.equals("read") || role.equals("write"), "admin.keys[" + i + "].role", role, "read or write");
        }
        adminKeyClashes(c).forEach(p::add);
        brokenSecrets(c).forEach(p::add);
        String adminListen = c.admin().listen();
        p.check(adminListen == null || validListen(adminListen), "admin.listen", adminListen, "host:port, e.g. 127.0.0.1:8790");
        SigninConfig si = c.signin();
        if (si.enabled()) {
            p.check(si.oidc() != null && isHttpUrl(si.oidc().issuer()) && httpsOrLoopback(si.oidc().issuer()), "signin.oidc.issuer", si.oidc() == null ? null : si.oidc().issuer(), "an https:// URL (http:// on loopback only)");
            p.check(si.oidc() != null && si.oidc().clientId() != null, "signin.oidc.client-id", null, "the gateway's client id at the IdP");
            p.check(si.publicUrl() == null || isHttpUrl(si.publicUrl()), "signin.public-url", si.publicUrl(), "an https:// URL");
            p.check(si.publicUrl() != null || c.server().host().startsWith("127.") || c.server().host().equals("localhost"), "signin.public-url", null, "set when server.host is not loopback");
            p.check(si.loginNotice() == null || si.loginNotice().length() <= 500, "signin.login-notice", si.loginNotice(), "at most 500 characters");
            p.check(si.teams().stream().allMatch(r -> r.team() != null && (r.group() == null) != (r.emailDomain() == null)), "signin.teams", si.teams(), "rules with a team and exactly one of group or email-domain");
        }
        dev.sluice.budget.BudgetsPart.problems(c.budgets()).forEach(p::add);
        p.throwIfAny();
        return c;
    }

    /**
     * Admin credentials that clash, named by position and never by value (attack round 27): the same secret twice (with
     * two roles the write one won, so a key handed out as read could write), the same name twice (the audit log and the
     * configuration versions could not tell the holders apart), or a secret that is also a gateway key in
     * {@code auth.keys} (every developer holding it could use the admin API).
     */
    private static java.util.List<String> adminKeyClashes(SluiceConfig c) {
        java.util.List<String> out = new java.util.ArrayList<>();
        java.util.List<AdminConfig.AdminKey> keys = c.admin().keys();
        for (int i = 0; i < keys.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (keys.get(i).value().equals(keys.get(j).value())) {
                    out.add("admin.keys[" + i + "].value: the same secret as admin.keys[" + j + "] (expected: a secret of its own)");
                }
                if (keys.get(i).name() != null && keys.get(i).name().equals(keys.get(j).name())) {
                    out.add("admin.keys[" + i + "].name: '" + keys.get(i).name() + "', as admin.keys[" + j
                            + "] (expected: a name of its own; changes are recorded under it)");
                }
            }
            if (c.auth().keys().contains(keys.get(i).value())) {
                out.add("admin.keys[" + i + "].value: the same secret as a gateway key in auth.keys (expected: an admin"
                        + " credential that is no developer's key)");
            }
        }
        return out;
    }

    /**
     * Secrets and header values with a control character, named by key and never shown (attack round 27): an upstream
     * key from a Kubernetes secret made from a file ends with a line break, the gateway started, and every request was
     * a 502 "Could not reach upstream" while the log line of each attempt printed the key; a gateway or admin key so
     * written can never be presented.
     */
    private static java.util.List<String> brokenSecrets(SluiceConfig c) {
        java.util.List<String> out = new java.util.ArrayList<>();
        String expected = " (expected: one line without control characters; a value from an environment variable or a"
                + " file often ends with a line break)";
        for (int i = 0; i < c.upstreams().size(); i++) {
            UpstreamConfig u = c.upstreams().get(i);
            for (int k = 0; u.keys() != null && k < u.keys().size(); k++) {
                if (hasControl(u.keys().get(k).value())) {
                    out.add("upstreams[" + i + "].keys[" + k + "].value: holds a control character" + expected);
                }
            }
            for (java.util.Map.Entry<String, String> h : u.headers() == null ? java.util.Set.<java.util.Map.Entry<String, String>>of()
                    : u.headers().entrySet()) {
                if (hasControl(h.getKey()) || hasControl(h.getValue())) {
                    out.add("upstreams[" + i + "].headers." + h.getKey().replaceAll("\\p{Cntrl}", "?")
                            + ": holds a control character" + expected);
                }
            }
        }
        for (int i = 0; i < c.auth().keys().size(); i++) {
            if (hasControl(c.auth().keys().get(i))) {
                out.add("auth.keys[" + i + "]: holds a control character" + expected);
            }
        }
        for (int i = 0; i < c.admin().keys().size(); i++) {
            if (hasControl(c.admin().keys().get(i).value())) {
                out.add("admin.keys[" + i + "].value: holds a control character" + expected);
            }
        }
        return out;
    }

    private static boolean hasControl(String s) {
        return s != null && s.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f);
    }

    private static boolean positive(long millis) {
        return millis > 0;
    }

    /** {@code host:port} with a port from 0 to 65535 (issue 12: the admin API's own listener). */
    private static boolean validListen(String s) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            return false;
        }
        try {
            int port = Integer.parseInt(s.substring(colon + 1));
            return port >= 0 && port <= 65535;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Discovery, keys and the code exchange in clear text would let anyone on the path mint identities: http only on loopback. */
    private static boolean httpsOrLoopback(String s) {
        URI u = URI.create(s);
        String host = u.getHost();
        return "https".equals(u.getScheme()) || "localhost".equals(host) || host.startsWith("127.") || "[::1]".equals(host);
    }

    private static boolean isHttpUrl(String s) {
        if (s == null) {
            return false;
        }
        try {
            URI u = URI.create(s);
            return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The Responses door's item store: bounded above too, so a mistyped number cannot take the heap. */
    private static void itemStore(Problems p, ResponsesConfig.ItemStore s) {
        String at = "responses.item-store.";
        p.check(s.maxAge().isPositive() && s.maxAge().compareTo(ResponsesConfig.ItemStore.MAX_AGE) <= 0, at + "max-age",
                s.maxAge(), "a positive duration of at most " + ResponsesConfig.ItemStore.MAX_AGE.toHours() + "h");
        p.check(s.maxItems() > 0 && s.maxItems() <= ResponsesConfig.ItemStore.MAX_ITEMS, at + "max-items", s.maxItems(),
                "a number between 1 and 10,000,000");
        p.check(s.maxBytes().bytes() <= ResponsesConfig.ItemStore.MAX_BYTES, at + "max-bytes", s.maxBytes().bytes(),
                "a size of at most 16GB");
        p.check(s.maxItemBytes().bytes() <= Math.min(s.maxBytes().bytes(), ResponsesConfig.ItemStore.MAX_ITEM_BYTES),
                at + "max-item-bytes", s.maxItemBytes().bytes(), "a size of at most 64MB and at most " + at + "max-bytes ("
                        + s.maxBytes().bytes() + " bytes)");
    }

    /** Collects every problem so the operator fixes the file in one pass. */
    private static final class Problems {
        private final String origin;
        private final StringBuilder text = new StringBuilder();

        Problems(String origin) {
            this.origin = origin;
        }

        void check(boolean ok, String key, Object value, String expected) {
            if (!ok) {
                Object shown = value instanceof java.time.Duration d ? d.toMillis() + "ms" : value;
                text.append('\n').append("  ").append(key).append(": '").append(shown).append("' (expected: ").append(expected).append(')');
            }
        }

        /** A problem another part worded itself ("budgets.list[0].usd: ..."). */
        void add(String problem) {
            text.append('\n').append("  ").append(problem);
        }

        void throwIfAny() {
            if (!text.isEmpty()) {
                throw new ConfigException(origin + ": invalid configuration:" + text);
            }
        }
    }
}
