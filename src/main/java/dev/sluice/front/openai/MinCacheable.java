package dev.sluice.front.openai;

import java.util.Locale;

/**
 * The shortest prompt prefix a Claude model caches, in tokens. A breakpoint on a shorter prefix is ignored by the
 * provider (no write, no error), so the automatic placement leaves such places unmarked.
 *
 * <p>The table as LiteLLM's prompt-caching page gives it (October 2026; not checked against Anthropic's own page):
 * 4,096 tokens for Claude Opus 4.5 and 4.6 and Haiku 4.5 (and Opus 4.7 on Bedrock, taken here for every provider);
 * 2,048 for the Claude 3 and 3.5 Haikus; 1,024 for Sonnet 4.x and 5, Opus 4, 4.1 and 4.8; 512 for Opus 5, which gets
 * the default here (a marker on a 512-1,023-token prefix is left out, a small loss).
 * Matched on any spelling of the id (Anthropic's, Bedrock's {@code us.anthropic.claude-haiku-4-5-20251001-v1:0},
 * Vertex's {@code claude-haiku-4-5@20251001}); an id not listed gets 1,024, the most common minimum. Being wrong only
 * moves where caching starts: a minimum set too high leaves a short prefix uncached, one too low places a marker
 * the provider ignores.
 */
final class MinCacheable {
    static final int DEFAULT = 1024;

    private MinCacheable() {
    }

    static int tokens(String model) {
        if (model == null) {
            return DEFAULT;
        }
        String m = model.toLowerCase(Locale.ROOT);
        if (m.contains("haiku-4-5") || m.contains("opus-4-5") || m.contains("opus-4-6") || m.contains("opus-4-7")) {
            return 4096;
        }
        if (m.contains("3-haiku") || m.contains("3-5-haiku")) {
            return 2048;
        }
        return DEFAULT;
    }
}
