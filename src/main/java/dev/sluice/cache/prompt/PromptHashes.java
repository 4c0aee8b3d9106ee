package dev.sluice.cache.prompt;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.sluice.cache.key.Breakpoint;
import dev.sluice.cache.key.Hash128;
import dev.sluice.cache.key.KeySecret;
import dev.sluice.cache.key.RequestKey;
import dev.sluice.pipeline.RequestBody;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The prompt's two families of prefix hashes from one walk over the body as forwarded ({@link ForwardedBytes}: the
 * other stages' edits applied, markers left out): the prefix identities ({@link PromptPrefix}, one per breakpoint) and
 * the fork prefixes ({@link ForkBreakpoint}, one per conversation block up to the last cached one).
 *
 * <p>Both read the same bytes in the same order (tools, system, messages), each section after a tag byte, but they are
 * different hashes: their own public secrets, and the fork's seeded with the org as well as the model, since forks are
 * remembered per org and identities are not. A stream hash cannot give one from the other, so the walk feeds two
 * states, the shared stretch through {@link Hash128#updateBoth}, which costs about what one hash alone does (each
 * hash is a chain of dependent multiplies; two chains overlap). Before, the two were separate passes over the body,
 * about 16 and 14 µs on a 60 KB Claude Code request.
 *
 * <p>Each family stops where its last hash is taken: the identities at the last breakpoint, the forks at the last
 * cached block. A stop is a copy of the state, finished.
 */
public final class PromptHashes {
    private static final KeySecret PREFIX_SECRET = KeySecret.fixed("prompt-prefix");
    private static final KeySecret FORK_SECRET = KeySecret.fixed("prompt-fork");
    private static final HexFormat HEX = HexFormat.of();
    private static final PromptHashes NONE = new PromptHashes(List.of(), null);

    /** Shortest first: by section in prompt order, then by where the prefix ends. */
    private static final Comparator<Breakpoint> PROMPT_ORDER =
            Comparator.comparingInt(PromptPrefix::order).thenComparingInt(Breakpoint::prefixEnd);

    private final List<PromptPrefix> prefixes;
    private final ForkBreakpoint.Prefix[] forks;

    private PromptHashes(List<PromptPrefix> prefixes, ForkBreakpoint.Prefix[] forks) {
        this.prefixes = prefixes;
        this.forks = forks;
    }

    /**
     * Hashes {@code body}, keyed as {@code key}: the identities when {@code prefixes}, the fork prefixes (noted for
     * {@code org}) when {@code forks} and the request has a cached conversation block to fork before.
     */
    public static PromptHashes of(RequestBody body, RequestKey key, String org, boolean prefixes, boolean forks) {
        boolean wantPrefixes = prefixes && key.cacheable() && !key.breakpoints().isEmpty();
        int last = forks ? ForkBreakpoint.lastToNote(key) : -1;
        if (!wantPrefixes && last < 0) {
            return NONE;
        }
        return new Walk(body, key, org, wantPrefixes, last).run();
    }

    /** The identities, shortest first; empty when not asked for or the request has no breakpoint. */
    public List<PromptPrefix> prefixes() {
        return prefixes;
    }

    /** The fork prefixes of blocks {@code 0..last} (null between the ends noted), or null when there are none. */
    ForkBreakpoint.Prefix[] forks() {
        return forks;
    }

    /** One walk's state: which streams still read, and where each takes its hashes. */
    private static final class Walk {
        private final ForwardedBytes view;
        private final RequestKey key;
        private final int[] sections;
        private final List<Breakpoint> sorted;
        private final Hash128 prefix;
        private final Hash128 fork;
        private final int last;
        private final List<PromptPrefix> prefixesOut;
        private final ForkBreakpoint.Prefix[] forksOut;
        private final byte[] digest = new byte[16];
        /** Identities taken so far (the next one is {@code sorted.get(taken)}), and the bytes fed to them. */
        private int taken;
        private int prefixBytes;

        Walk(RequestBody body, RequestKey key, String org, boolean prefixes, int last) {
            this.view = ForwardedBytes.of(body, key.breakpoints());
            this.key = key;
            this.sections = key.sections();
            String model = key.model() == null ? "" : key.model();
            if (prefixes) {
                sorted = new ArrayList<>(key.breakpoints());
                sorted.sort(PROMPT_ORDER);
                prefix = PREFIX_SECRET.newHash();
                byte[] seed = model.getBytes(UTF_8);
                prefix.update(seed, 0, seed.length);
                prefixesOut = new ArrayList<>(sorted.size());
            } else {
                sorted = List.of();
                prefix = null;
                prefixesOut = List.of();
            }
            this.last = last;
            if (last >= 0) {
                fork = FORK_SECRET.newHash();
                byte[] seed = (org + "\0" + model).getBytes(UTF_8);
                fork.update(seed, 0, seed.length);
                forksOut = new ForkBreakpoint.Prefix[last + 1];
            } else {
                fork = null;
                forksOut = null;
            }
        }

        PromptHashes run() {
            for (int s = 0; s < 3; s++) {
                section(s);
            }
            while (taken < sorted.size()) { // automatic caching at the top level: the whole prompt
                takePrefix();
            }
            return new PromptHashes(prefixesOut, forksOut);
        }

        /**
         * Section {@code s} (0 tools, 1 system, 2 messages): its tag, then its bytes up to each stop in turn. The
         * identities read it while a breakpoint in or after it is left; the forks read tools and system whole (their
         * tag for the messages goes in even without messages) and the messages to the last cached block's end.
         */
        private void section(int s) {
            int start = sections[2 * s];
            int end = sections[2 * s + 1];
            boolean prefixReads = taken < sorted.size() && PromptPrefix.order(sorted.get(taken)) >= s + 1;
            boolean forkReads = fork != null;
            if (start < 0) {
                while (prefixReads && taken < sorted.size() && PromptPrefix.order(sorted.get(taken)) == s + 1) {
                    takePrefix(); // a breakpoint in a section the body lacks: the prefix before the section
                }
                if (forkReads && s == 2) {
                    fork.update((byte) 0x72);
                }
                return;
            }
            if (prefixReads) {
                prefix.update((byte) (0x70 + s));
            }
            if (forkReads) {
                fork.update((byte) (0x70 + s));
            }
            int pos = start;
            int block = 0;
            while (true) {
                int prefixStop = prefixStop(s, end);
                int forkStop = s == 2 && forkReads && block <= last ? Math.max(start, key.blockEnds()[block]) : Integer.MAX_VALUE;
                int stop = Math.min(prefixStop, forkStop);
                boolean forkOn = forkReads && (s < 2 || block <= last);
                if (stop == Integer.MAX_VALUE) { // no stop left here: whoever reads on takes the rest of the section
                    feed(prefixOn(), forkOn, pos, end);
                    return;
                }
                if (stop > pos) {
                    feed(prefixOn(), forkOn, pos, stop);
                    pos = stop;
                }
                if (stop == prefixStop) {
                    takePrefix();
                } else {
                    takeFork(block++);
                }
            }
        }

        /** Where the next identity is taken inside section {@code s}, or MAX_VALUE when it is not in it. */
        private int prefixStop(int s, int end) {
            if (taken >= sorted.size() || PromptPrefix.order(sorted.get(taken)) != s + 1) {
                return Integer.MAX_VALUE;
            }
            return Math.max(sections[2 * s], Math.min(end, sorted.get(taken).prefixEnd()));
        }

        private boolean prefixOn() {
            return taken < sorted.size();
        }

        private void feed(boolean toPrefix, boolean toFork, int from, int to) {
            if (toPrefix && toFork) {
                prefixBytes += view.feed(prefix, fork, from, to);
            } else if (toPrefix) {
                prefixBytes += view.feed(prefix, from, to);
            } else if (toFork) {
                view.feed(fork, from, to);
            }
        }

        private void takePrefix() {
            prefix.copy().finish(digest, 0);
            prefixesOut.add(new PromptPrefix(HEX.formatHex(digest), sorted.get(taken++), prefixBytes));
        }

        private void takeFork(int block) {
            if (!ForkBreakpoint.noted(block, last)) {
                return;
            }
            fork.copy().finish(digest, 0);
            ByteBuffer d = ByteBuffer.wrap(digest);
            forksOut[block] = new ForkBreakpoint.Prefix(d.getLong(), d.getLong());
        }
    }
}
