package dev.sluice.cache.prompt;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sluice.cache.key.Breakpoint;
import dev.sluice.cache.key.RequestKey;
import dev.sluice.pipeline.RequestBody;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@code cache_control} breakpoint where a request's conversation forks from prompts forwarded before, so the
 * provider caches the shared part once and later forks read it.
 *
 * <p>The provider writes a cache entry only at a breakpoint. Claude Code puts its conversation breakpoint on the
 * newest block, so two developers who ask different first questions of the same repository share everything up to
 * their question (the injected reminders, after the system prompt and tools) without sharing a cache entry for it:
 * each writes it again at the write price, 12.5 times the read price. This remembers, per org, a hash of every
 * block-ending prefix of the conversation it forwarded (the body as forwarded: normalisation applied, markers left
 * out) and, when a new request's prefix ending at some earlier block was seen before, adds a breakpoint on that block:
 * the last such block before the request's own last conversation breakpoint.
 *
 * <p>What it costs: nothing the provider bills. Cache writes are charged for the tokens between the longest cached
 * prefix and the last breakpoint, however many breakpoints divide them; the answer does not depend on markers. It
 * takes a free slot only (the API allows four), and only on a request that already asks for its conversation to be
 * cached. Its TTL is that of the next breakpoint after it, since the API wants longer TTLs before shorter ones.
 */
public final class ForkBreakpoint {
    private static final int MAX_BREAKPOINTS = 4;
    /** Below this many tokens (about a quarter of the bytes) the provider caches nothing. */
    private static final int MIN_TOKENS = 1024;
    private static final String REASON = "cache: prompt fork breakpoint";
    /**
     * Prefixes noted per request at each end of the conversation: where first questions fork (the opening blocks)
     * and where follow-ups fork (the newest). A long conversation's middle was noted by its earlier turns.
     */
    private static final int NOTED_AT_EACH_END = 32;
    private static final byte[] FIVE_MINUTES = ",\"cache_control\":{\"type\":\"ephemeral\"}".getBytes(UTF_8);
    private static final byte[] ONE_HOUR = ",\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"1h\"}".getBytes(UTF_8);

    /** A prefix's 128-bit hash. */
    record Prefix(long hi, long lo) {
    }

    private final Cache<Prefix, Boolean> seen;
    private final LongAdder added = new LongAdder();

    /** Remembers up to {@code maxPrefixes} prefixes, each for an hour after it was last forwarded. */
    public ForkBreakpoint(long maxPrefixes) {
        this.seen = Caffeine.newBuilder().maximumSize(maxPrefixes).expireAfterWrite(Duration.ofHours(1))
                .executor(Runnable::run).build();
    }

    /**
     * Notes the prefixes of {@code body} (as forwarded for {@code org}) and adds a breakpoint where it forks from one
     * seen before; returns the body offset the marker went in at, or -1 when none was added.
     */
    public int apply(RequestBody body, RequestKey key, String org) {
        return apply(body, key, PromptHashes.of(body, key, org, false, true));
    }

    /** As {@link #apply(RequestBody, RequestKey, String)}, with the prefixes hashed already (with the identities). */
    public int apply(RequestBody body, RequestKey key, PromptHashes hashes) {
        Prefix[] prefixes = hashes.forks();
        if (prefixes == null) {
            return -1;
        }
        List<Breakpoint> breakpoints = key.breakpoints();
        int[] ends = key.blockEnds();
        int last = prefixes.length - 1;
        int fork = -1;
        for (int i = last - 1; i >= 0 && fork < 0; i--) {
            if (prefixes[i] != null && seen.getIfPresent(prefixes[i]) != null) {
                fork = i;
            }
        }
        for (Prefix p : prefixes) {
            if (p != null) {
                seen.put(p, Boolean.TRUE);
            }
        }
        if (fork < 0 || breakpoints.size() >= MAX_BREAKPOINTS || carries(breakpoints, ends[fork])
                || promptBytesThrough(key, ends[fork]) / 4 < MIN_TOKENS) {
            return -1;
        }
        int at = insert(body, ends[fork], nextIsOneHour(body, breakpoints, ends[fork]));
        if (at >= 0) {
            added.increment();
        }
        return at;
    }

    /** Breakpoints added since start. */
    public long added() {
        return added.sum();
    }

    /** The last block whose prefix a request notes (the last one cached), or -1 when it has no fork to note. */
    static int lastToNote(RequestKey key) {
        if (!key.cacheable() || key.blockEnds().length < 2) {
            return -1;
        }
        int last = lastCachedBlock(key.breakpoints(), key.blockEnds());
        return last <= 0 ? -1 : last;
    }

    /** Whether block {@code i}'s prefix is noted: among the first and the last {@link #NOTED_AT_EACH_END} up to {@code last}. */
    static boolean noted(int i, int last) {
        return i < NOTED_AT_EACH_END || i >= last - NOTED_AT_EACH_END;
    }

    /** Index of the last block a breakpoint caches the conversation through (automatic caching: the last), or -1. */
    private static int lastCachedBlock(List<Breakpoint> breakpoints, int[] ends) {
        int last = -1;
        for (Breakpoint b : breakpoints) {
            if (b.section().equals("top")) {
                return ends.length - 1;
            }
            if (b.section().equals("messages")) {
                for (int i = ends.length - 1; i > last; i--) {
                    if (ends[i] == b.prefixEnd()) {
                        last = i;
                        break;
                    }
                }
            }
        }
        return last;
    }

    /** Bytes of the prompt, in the provider's order (tools, system, messages), up to a point in the messages. */
    private static int promptBytesThrough(RequestKey key, int messagesOffset) {
        int[] sections = key.sections();
        int bytes = messagesOffset - sections[4];
        for (int s = 0; s < 2; s++) {
            if (sections[2 * s] >= 0) {
                bytes += sections[2 * s + 1] - sections[2 * s];
            }
        }
        return bytes;
    }

    private static boolean carries(List<Breakpoint> breakpoints, int blockEnd) {
        for (Breakpoint b : breakpoints) {
            if (b.prefixEnd() == blockEnd && !b.section().equals("top")) {
                return true;
            }
        }
        return false;
    }

    /** The TTL the next breakpoint after {@code at} will be forwarded with (a TTL upgrade is an edit in its marker). */
    private static boolean nextIsOneHour(RequestBody body, List<Breakpoint> breakpoints, int at) {
        Breakpoint next = null;
        for (Breakpoint b : breakpoints) {
            if (b.prefixEnd() > at && (next == null || b.prefixEnd() < next.prefixEnd())) {
                next = b;
            }
        }
        if (next == null) {
            return false;
        }
        if (next.oneHour()) {
            return true;
        }
        for (RequestBody.Edit e : body.edits()) {
            if (e.start() >= next.controlStart() && e.end() <= next.controlEnd()) {
                return true;
            }
        }
        return false;
    }

    /** Puts the marker just inside the block's closing brace; -1 when the bytes there are not a non-empty object's end. */
    private static int insert(RequestBody body, int blockEnd, boolean oneHour) {
        byte[] src = body.array();
        int close = blockEnd - 1;
        if (close <= 0 || src[close] != '}') {
            return -1;
        }
        int before = close - 1;
        while (before > 0 && (src[before] == ' ' || src[before] == '\n' || src[before] == '\r' || src[before] == '\t')) {
            before--;
        }
        if (src[before] == '{') {
            return -1;
        }
        try {
            body.insert(close, oneHour ? ONE_HOUR : FIVE_MINUTES, REASON);
            return close;
        } catch (IllegalStateException e) {
            return -1; // another stage edited those bytes: its edit stands
        }
    }
}
