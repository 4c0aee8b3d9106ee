package dev.sluice.cli;

import dev.sluice.budget.rules.BudgetsConfig;
import dev.sluice.config.CacheConfig;
import dev.sluice.config.GuardConfig;
import dev.sluice.config.RouteConfig;
import dev.sluice.config.RouteTargetConfig;
import dev.sluice.config.SigninConfig;
import dev.sluice.config.SluiceConfig;
import java.util.ArrayList;
import java.util.List;

/** What {@code sluice config check} prints about a valid configuration: one line per thing an operator set. */
final class ConfigSummary {
    private ConfigSummary() {
    }

    static List<String> lines(SluiceConfig c) {
        List<String> out = new ArrayList<>();
        String tls = c.server().tls().enabled() ? (c.server().tls().certFile() != null ? ", TLS with " + c.server().tls().certFile()
                : ", TLS self-signed") : "";
        out.add("  listen     " + c.server().host() + ":" + c.server().port() + tls);
        out.add("  admin      " + (c.admin().listen() == null ? "on the gateway's address" : "on " + c.admin().listen()
                + " (admin.listen; not on the gateway's address)") + ", " + c.admin().keys().size() + " admin key(s)");
        out.add("  auth       " + auth(c));
        c.upstreams().forEach(u -> out.add("  upstream   " + u.name() + " (" + u.provider() + ") " + u.baseUrl()
                + ", " + (u.keys().isEmpty() ? "caller's own credential" : u.keys().size() + " key(s): "
                + String.join(", ", u.keys().stream().map(k -> k.alias()).toList()))));
        c.routes().forEach(r -> out.add("  route      " + r.match() + " -> " + route(r)));
        out.add("  cache      " + cache(c.cache()));
        out.add("  budgets    " + budgets(c.budgets()));
        out.add("  guard      " + guard(c.guard()));
        if (c.signin().enabled()) {
            SigninConfig s = c.signin();
            out.add("  signin     on, " + (s.publicUrl() == null ? "" : s.publicUrl() + ", ")
                    + (s.oidc() == null ? "no IdP" : "IdP " + s.oidc().issuer()));
        }
        out.add("  store      " + c.store().kind() + (c.store().kind().equals("sqlite") ? " in " + c.store().dataDir() : ""));
        return out;
    }

    private static String auth(SluiceConfig c) {
        if (c.auth().open()) {
            return "open (auth.open: true): anyone may call";
        }
        List<String> ways = new ArrayList<>();
        if (!c.auth().keys().isEmpty()) {
            ways.add(c.auth().keys().size() + " static key(s)");
        }
        if (c.signin().enabled()) {
            ways.add("signed-in developers (signin)");
        }
        if (ways.isEmpty()) {
            return "open local mode unless keys are issued (sluice keys create closes it)";
        }
        return String.join(", ", ways) + ", and keys issued with sluice keys create";
    }

    private static String route(RouteConfig r) {
        if (r.targets().isEmpty()) {
            return r.upstream() + (r.model() == null ? "" : " as " + r.model());
        }
        List<String> t = new ArrayList<>();
        for (RouteTargetConfig target : r.targets()) {
            t.add(target.upstream() + (target.model() == null ? "" : " as " + target.model())
                    + (target.keys().isEmpty() ? "" : " " + target.keys()));
        }
        return String.join(", then ", t) + (r.name() == null ? "" : "  (" + r.name() + ")");
    }

    private static String cache(CacheConfig cache) {
        if (!cache.enabled()) {
            return "off";
        }
        String mode = cache.defaults().mode();
        // YAML reads a bare on/off as true/false
        mode = mode == null || mode.equals("true") ? "on" : mode.equals("false") ? "off" : mode;
        return "on, " + cache.store().kind() + " store, default mode " + mode
                + ", " + cache.routes().size() + " per-model rule(s), semantic " + cache.semantic().mode()
                + (cache.capture().enabled() ? ", capture on" : "");
    }

    private static String budgets(BudgetsConfig b) {
        if (b.list().isEmpty() && b.rateLimits().isEmpty()) {
            return "none in the file (the admin API may set some)";
        }
        int sinks = b.alerts().sinks() == null ? 0 : b.alerts().sinks().size();
        return b.list().size() + " budget(s), " + b.rateLimits().size() + " rate limit(s), " + sinks + " alert sink(s)";
    }

    private static String guard(GuardConfig g) {
        if (!g.enabled()) {
            return "off";
        }
        return "on" + (g.policies().isEmpty() ? "" : ", " + g.policies().size() + " polic(ies)") + (g.webhook() == null ? ""
                : ", webhook " + g.webhook().url());
    }
}
