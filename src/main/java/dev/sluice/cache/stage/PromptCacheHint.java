package dev.sluice.cache.stage;

import dev.sluice.cache.prompt.PromptPrefix;
import dev.sluice.pipeline.Exchange;
import java.util.ArrayList;
import java.util.List;

/**
 * The prompt prefixes a request asks the provider to cache, for the router's choice of upstream key: the
 * provider's cache is per account, so a request whose prefix was written through one key is only cheap on
 * that key. The cache stage puts it on the exchange ({@link #KEY}) during {@code onRequest}; it is there
 * when attempts pick their credential. Identities ignore {@code cache_control} markers, so a conversation's
 * prefix keeps its identity when the client moves its last breakpoint forward.
 *
 * @param prefixes the request's prefixes, shortest first (hex identity and about how many tokens)
 */
public record PromptCacheHint(List<Prefix> prefixes) {
    public static final Exchange.Key<PromptCacheHint> KEY = new Exchange.Key<>("prompt-cache-hint", PromptCacheHint.class);

    /** One prefix: its identity and about how many tokens it holds. */
    public record Prefix(String hash, long approxTokens) {
    }

    public PromptCacheHint {
        prefixes = List.copyOf(prefixes);
    }

    static PromptCacheHint of(List<PromptPrefix> prefixes) {
        List<Prefix> out = new ArrayList<>(prefixes.size());
        for (PromptPrefix p : prefixes) {
            out.add(new Prefix(p.hash(), p.approxTokens()));
        }
        return new PromptCacheHint(out);
    }

    /** The longest prefix: what a new conversation should stick to. */
    public Prefix longest() {
        return prefixes.getLast();
    }
}
