package dev.sluice.cache.stage;

import dev.sluice.cache.key.RequestKey;
import dev.sluice.cache.prompt.ForkBreakpoint;
import dev.sluice.cache.prompt.PrefixStats;
import dev.sluice.cache.prompt.PromptHashes;
import dev.sluice.cache.prompt.PromptPrefix;
import dev.sluice.cache.prompt.TtlUpgrade;
import dev.sluice.pipeline.Exchange;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Help for the provider's prompt cache, for a request that goes upstream (a hit never reaches the provider,
 * so it neither warms nor refreshes its cache and is not counted), after upstream normalisation, so every hash is of
 * what the provider will read (the body as forwarded, {@link PromptHashes}, one walk for all of them):
 * <ol>
 *   <li>for a miss, the longest prefix seen before is a near miss ({@link NearMisses});</li>
 *   <li>where the route allows it, 5-minute breakpoints become 1-hour ones when their prefix has been
 *       re-read between 5 and 60 minutes apart often enough to pay ({@link TtlUpgrade}, a body edit);</li>
 *   <li>every prefix is counted in the re-read statistics ({@link PrefixStats});</li>
 *   <li>where the route allows it, a breakpoint is added where the conversation forks from one forwarded before
 *       ({@link ForkBreakpoint}, a body edit; after the TTL upgrade, whose 1-hour marker it must not precede with a
 *       5-minute one).</li>
 * </ol>
 * It rides on the cache's key pass: a route with mode {@code off}, or a request that could not be keyed,
 * gets none of it.
 */
final class PromptHelp {
    private static final Logger LOG = LoggerFactory.getLogger(PromptHelp.class);

    private PromptHelp() {
    }

    static void apply(CacheService service, Exchange ex, CacheRules.RoutePolicy route, RequestKey key, boolean miss) {
        if (key == null || !key.cacheable()) {
            return;
        }
        PrefixStats stats = service.prefixStats();
        PromptHashes hashes = PromptHashes.of(ex.body(), key, CacheStage.org(ex), stats != null, route.forkBreakpoint());
        List<PromptPrefix> prefixes = hashes.prefixes();
        if (!prefixes.isEmpty()) {
            if (miss) {
                nearMiss(service, ex, stats, prefixes, key.model());
            }
            if (route.ttlUpgrade()) {
                upgrade(ex, stats, prefixes);
            }
            long now = service.now();
            for (PromptPrefix p : prefixes) {
                stats.observe(p.hash(), key.model(), p.approxTokens(), now);
            }
        }
        if (route.forkBreakpoint() && service.forks().apply(ex.body(), key, hashes) >= 0) {
            ex.responseHeaders().set("x-sluice-prompt-cache-fork", "1");
        }
    }

    private static void nearMiss(CacheService service, Exchange ex, PrefixStats stats, List<PromptPrefix> prefixes, String model) {
        for (int i = prefixes.size() - 1; i >= 0; i--) {
            PromptPrefix p = prefixes.get(i);
            if (stats.seen(p.hash())) {
                service.nearMisses().observe(CacheStage.org(ex), p.hash(), model, p.approxTokens(), ex.body().length() / 4L);
                return;
            }
        }
    }

    private static void upgrade(Exchange ex, PrefixStats stats, List<PromptPrefix> prefixes) {
        try {
            int changed = TtlUpgrade.apply(ex.body(), prefixes, p -> stats.oneHourPays(p.hash()));
            if (changed > 0) {
                ex.responseHeaders().set("x-sluice-prompt-cache-ttl-upgraded", Integer.toString(changed));
            }
        } catch (IllegalStateException e) {
            // Another stage already edited those bytes: its edit stands, the upgrade is skipped.
            LOG.debug("request {}: TTL upgrade skipped: {}", ex.requestId(), e.getMessage());
        }
    }
}
