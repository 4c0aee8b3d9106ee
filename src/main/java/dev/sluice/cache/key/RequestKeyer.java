package dev.sluice.cache.key;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Keys a Messages request body: tokenize ({@link JsonTape}), read the structure and find the
 * developer's values ({@link RequestShape}, {@link Markers}), then hash the canonical form with
 * those values as placeholders ({@link KeyWriter}). Everything the cache and its neighbours need comes
 * out of that one reading of the bytes: key, semantic anchor, newest-turn facts, message offsets,
 * prompt-cache breakpoints.
 *
 * <p>Thread-safe: the working arrays are per thread, trimmed after an unusually large body so one
 * 30 MB request does not pin its arrays in an event loop forever.
 */
public final class RequestKeyer {
    /** Version of the canonical form itself; part of every key (2: the workspace's own name is in the key, round 28). */
    public static final int FORMAT = 2;

    private static final int TRIM_ENTRIES = 1 << 18;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final KeySecret secret;
    private final boolean sha256;
    private final KeyCheckpoints checkpoints;

    /**
     * @param secret the deployment's key secret
     * @param sha256 true to hash with SHA-256 instead of {@link Hash128} (slower, standard; keys every request from scratch)
     */
    public RequestKeyer(KeySecret secret, boolean sha256) {
        this(secret, sha256, sha256 ? null : KeyCheckpoints.defaults());
    }

    /** With {@code checkpoints} to resume growing conversations from (null: every key from scratch). */
    RequestKeyer(KeySecret secret, boolean sha256, KeyCheckpoints checkpoints) {
        this.secret = Objects.requireNonNull(secret, "secret");
        this.sha256 = sha256;
        this.checkpoints = checkpoints;
    }

    public RequestKeyer(KeySecret secret) {
        this(secret, false);
    }

    /**
     * Keys {@code body[0, length)}.
     *
     * @param context parts of the request outside the body that change the answer (the stage passes the
     *                served target and the {@code anthropic-beta} and {@code anthropic-version} values)
     */
    public RequestKey key(byte[] body, int length, KeyRules rules, List<String> context) {
        return key(body, length, rules, context, "");
    }

    /**
     * As above, resuming only from checkpoints recorded under the same {@code partition} (the caller's org): the key
     * is the same either way, but a tenant who could time keying would otherwise learn whether another tenant had
     * sent the same opening messages.
     */
    public RequestKey key(byte[] body, int length, KeyRules rules, List<String> context, String partition) {
        return key(body, length, rules, context, sha256 ? KeyHash.sha256() : secret.newHash(), partitionHash(partition));
    }

    /** A keyed hash of the partition's name, so no one can aim two names at one partition. */
    private long partitionHash(String partition) {
        if (checkpoints == null || partition == null || partition.isEmpty()) {
            return 0;
        }
        Hash128 h = secret.newHash();
        byte[] name = partition.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        h.update(name, 0, name.length);
        byte[] out = new byte[16];
        h.finish(out, 0);
        return java.nio.ByteBuffer.wrap(out).getLong();
    }

    /** Keys with the given hash state (tests record the canonical stream through it). */
    RequestKey key(byte[] body, int length, KeyRules rules, List<String> context, KeyHash hash) {
        return key(body, length, rules, context, hash, 0);
    }

    private RequestKey key(byte[] body, int length, KeyRules rules, List<String> context, KeyHash hash, long partition) {
        Objects.requireNonNull(body, "body");
        Objects.checkFromIndexSize(0, length, body.length);
        Scratch s = SCRATCH.get();
        try {
            return passes(s, body, length, rules, context, hash, checkpoints, partition);
        } finally {
            s.trimIfLarge();
        }
    }

    /**
     * The three passes, each behind its own call, and the result gathered apart: the entry points stay small, so
     * a phase's deoptimization (a body shape not seen before) recompiles that phase, not the whole keying.
     */
    private static RequestKey passes(Scratch s, byte[] body, int length, KeyRules rules, List<String> context, KeyHash hash,
                                     KeyCheckpoints checkpoints, long partition) {
        if (!s.tape.parse(body, 0, length, rules.has(KeyRule.JSON_ESCAPES))) {
            return RequestKey.uncacheable("unreadable JSON: " + s.tape.error());
        }
        if (!s.shape.read(s.tape, rules)) {
            return RequestKey.uncacheable(s.shape.error);
        }
        Bindings bindings = Bindings.ofBytes(s.shape.markers().found());
        PathTemplates paths = rules.has(KeyRule.WORKSPACE_PATHS) ? PathTemplates.of(bindings) : PathTemplates.NONE;
        byte[] key = new byte[16];
        byte[] anchor = new byte[16];
        List<String> keyed = withWorkspaceName(context, bindings, paths);
        boolean forked = s.writer.write(s.tape, s.shape, paths, rules, keyed, hash, key, anchor, checkpoints, partition);
        return result(s, key, forked ? anchor : null, bindings);
    }

    /**
     * The context with the workspace's own name (its last path component) when the workspace is left out of the key:
     * the path says which repository the question is about, so developers share answers about the same repository, not
     * about any. Attack round 28: {@code /home/alice/src/calc} and {@code /home/bob/src/payments} made one key, and a
     * first turn asked in both (no file read yet, no git status) got the other repository's answer.
     */
    static List<String> withWorkspaceName(List<String> context, Bindings bindings, PathTemplates paths) {
        byte[] ws = paths.isEmpty() ? null : bindings.bytes(Placeholder.WORKSPACE);
        if (ws == null) {
            return context;
        }
        int end = ws.length;
        while (end > 1 && ws[end - 1] == '/') {
            end--;
        }
        int start = end;
        while (start > 0 && ws[start - 1] != '/') {
            start--;
        }
        List<String> out = new java.util.ArrayList<>(context.size() + 1);
        out.addAll(context);
        out.add("workspace-name=" + new String(ws, start, end - start, java.nio.charset.StandardCharsets.UTF_8));
        return out;
    }

    /** What the passes found, as the cache and its neighbours read it. */
    private static RequestKey result(Scratch s, byte[] key, byte[] anchor, Bindings bindings) {
        return new RequestKey(key, anchor, null, string(s.tape, s.shape.model), s.shape.stream, s.shape.temperature,
                s.shape.newestIsToolResult, messageOffsets(s), newestText(s), bindings, s.writer.substituted(), sections(s),
                breakpoints(s), blockEnds(s));
    }

    private static String string(JsonTape tape, int entry) {
        if (entry < 0 || tape.kind(entry) != JsonTape.STRING) {
            return null;
        }
        return new String(tape.source(), tape.start(entry), tape.end(entry) - tape.start(entry),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    private static int[] messageOffsets(Scratch s) {
        int[] out = new int[s.shape.messageCount()];
        for (int m = 0; m < out.length; m++) {
            out[m] = s.tape.start(s.shape.messageEntry(m));
        }
        return out;
    }

    private static int[] blockEnds(Scratch s) {
        int[] out = new int[s.shape.messageBlockCount()];
        for (int b = 0; b < out.length; b++) {
            out[b] = s.tape.end(s.shape.messageBlock(b));
        }
        return out;
    }

    private static int[] newestText(Scratch s) {
        if (!s.shape.hasNewestText) {
            return new int[0];
        }
        int[] out = new int[8];
        int n = 0;
        int from = s.shape.messages;
        int to = s.tape.next(from);
        for (int i = from; i < to; i++) {
            if ((s.shape.flags(i) & RequestShape.NEWEST) != 0) {
                if (n + 2 > out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                out[n++] = s.tape.start(i);
                out[n++] = s.tape.end(i);
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static int[] sections(Scratch s) {
        int[] out = new int[6];
        int[] entries = {s.shape.tools, s.shape.system, s.shape.messages};
        for (int k = 0; k < 3; k++) {
            int e = entries[k];
            out[2 * k] = e < 0 ? -1 : s.tape.start(e);
            out[2 * k + 1] = e < 0 ? -1 : s.tape.end(e) + (s.tape.kind(e) == JsonTape.STRING ? 1 : 0);
        }
        return out;
    }

    private static List<Breakpoint> breakpoints(Scratch s) {
        int n = s.shape.breakpointCount();
        if (n == 0) {
            return List.of();
        }
        List<Breakpoint> out = new ArrayList<>(n);
        String[] names = {"top", "tools", "system", "messages"};
        for (int k = 0; k < n; k++) {
            int block = s.shape.breakpointBlock(k);
            int value = s.shape.breakpointValue(k);
            int section = s.shape.breakpointSection(k);
            int prefixEnd = section == RequestShape.SECTION_TOP ? s.tape.end(0) : s.tape.end(block);
            int ttlStart = -1;
            int ttlEnd = -1;
            boolean oneHour = false;
            int end = s.tape.next(value);
            for (int name = value + 1; name < end; name = s.tape.next(name + 1)) {
                if (s.tape.textEquals(name, "ttl") && s.tape.kind(name + 1) == JsonTape.STRING) {
                    ttlStart = s.tape.start(name + 1);
                    ttlEnd = s.tape.end(name + 1);
                    oneHour = s.tape.textEquals(name + 1, "1h");
                }
            }
            out.add(new Breakpoint(names[section], prefixEnd, s.tape.start(value), s.tape.end(value), ttlStart, ttlEnd, oneHour));
        }
        return List.copyOf(out);
    }

    /** The per-thread working set. */
    private static final class Scratch {
        final JsonTape tape = new JsonTape();
        final RequestShape shape = new RequestShape();
        final KeyWriter writer = new KeyWriter();

        /** Drops the arrays of an unusually large body, so it does not pin them in an event loop thread. */
        void trimIfLarge() {
            if (tape.size() > TRIM_ENTRIES) {
                tape.trim(TRIM_ENTRIES);
                shape.trim(TRIM_ENTRIES);
            }
        }
    }
}
