package dev.sluice.cache.prompt;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.sluice.cache.key.Breakpoint;
import dev.sluice.pipeline.RequestBody;
import java.util.List;
import java.util.function.Predicate;

/**
 * Upgrades 5-minute {@code cache_control} breakpoints to 1 hour as {@link RequestBody} edits, where
 * the gateway has seen a prefix reused beyond 5 minutes ({@link PrefixStats#oneHourPays}).
 *
 * <p>The API requires longer TTLs to come before shorter ones in the prompt (tools, system, messages),
 * so the upgrade takes every breakpoint up to the last one that qualifies. A marker without a
 * {@code ttl} gets {@code ,"ttl":"1h"} before its closing brace; one with {@code "5m"} gets that value
 * replaced. Nothing else in the body changes; the provider may need the {@code extended-cache-ttl}
 * beta where 1-hour caching is not generally available.
 */
public final class TtlUpgrade {
    private static final byte[] ONE_HOUR = "1h".getBytes(UTF_8);

    private TtlUpgrade() {
    }

    /** Applies the upgrade to {@code body}; returns how many breakpoints were changed. */
    public static int apply(RequestBody body, List<PromptPrefix> prefixes, Predicate<PromptPrefix> qualifies) {
        int last = -1;
        for (int i = 0; i < prefixes.size(); i++) {
            if (qualifies.test(prefixes.get(i))) {
                last = i;
            }
        }
        int changed = 0;
        for (int i = 0; i <= last; i++) {
            Breakpoint b = prefixes.get(i).breakpoint();
            if (b.oneHour()) {
                continue;
            }
            if (b.ttlStart() >= 0) {
                body.replace(b.ttlStart(), b.ttlEnd(), ONE_HOUR, "cache: ttl 1h");
            } else {
                boolean empty = isEmptyObject(body.array(), b.controlStart(), b.controlEnd());
                body.insert(b.controlEnd() - 1, (empty ? "\"ttl\":\"1h\"" : ",\"ttl\":\"1h\"").getBytes(UTF_8), "cache: ttl 1h");
            }
            changed++;
        }
        return changed;
    }

    private static boolean isEmptyObject(byte[] body, int start, int end) {
        for (int i = start + 1; i < end - 1; i++) {
            byte c = body[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return false;
            }
        }
        return true;
    }
}
