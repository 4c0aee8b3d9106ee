package dev.sluice.guard;

import dev.sluice.guard.detect.Escapes;
import dev.sluice.pipeline.RequestBody;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Replaces what was found with a placeholder such as {@code [REDACTED:aws-secret-access-key:3f9a1c]}.
 *
 * <p>The same secret always gets the same placeholder: its tag is an HMAC-SHA256 of the secret under a
 * per-deployment key, truncated to {@value #TAG_HEX} hex digits. So a conversation that carries the secret
 * turn after turn is redacted to the same bytes every turn, and the provider's prompt cache still matches
 * the prefix. The key keeps the tag from confirming a guessed secret to anyone who sees the prompt; set it
 * once per deployment (a restart with a new key changes every placeholder, and so costs one cache write).
 * Placeholders are plain ASCII without quotes or backslashes, safe inside any JSON string. Redaction
 * changes the prompt the model sees: it reads the placeholder, not the secret.
 */
public final class Redactor {
    public static final int TAG_HEX = 6;
    private static final int MIN_KEY = 16;

    private final byte[] key;
    private final ThreadLocal<Mac> mac;

    public Redactor(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length < MIN_KEY) {
            throw new IllegalArgumentException("redaction key: " + key.length + " bytes (expected: at least " + MIN_KEY + ")");
        }
        this.key = key.clone();
        this.mac = ThreadLocal.withInitial(this::newMac);
    }

    /** A redactor with a random key: placeholders are stable for the life of the process only. */
    public static Redactor withRandomKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return new Redactor(k);
    }

    private Mac newMac() {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The placeholder bytes for {@code finding} in {@code body} (the original body the finding's offsets refer to). */
    public byte[] placeholder(Finding finding, byte[] body) {
        Objects.checkFromToIndex(finding.start(), finding.end(), body.length);
        byte[] secret = decode(body, finding.start(), finding.end());
        byte[] digest = mac.get().doFinal(secret);
        String tag = HexFormat.of().formatHex(digest, 0, (TAG_HEX + 1) / 2).substring(0, TAG_HEX);
        return ("[REDACTED:" + finding.rule() + ":" + tag + "]").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The id that replaces a tool call's id {@code body[start, end)} (raw bytes) holding a secret: {@code toolu_sluice_}
     * and {@value #ID_HEX} hex digits of an HMAC of the decoded id ({@code srvtoolu_} kept for a server tool's). The
     * same id gives the same replacement, so a tool_result still names its tool_use, turn after turn; distinct ids stay
     * distinct. Only {@code [a-z0-9_]}: the upstream's id pattern.
     */
    public byte[] toolId(byte[] body, int start, int end) {
        Objects.checkFromToIndex(start, end, body.length);
        byte[] id = decode(body, start, end);
        Mac m = mac.get();
        m.update(TOOL_ID_DOMAIN);
        byte[] digest = m.doFinal(id);
        boolean server = new String(id, 0, Math.min(id.length, 9), StandardCharsets.ISO_8859_1).equals("srvtoolu_");
        return ((server ? "srvtoolu_sluice_" : "toolu_sluice_") + HexFormat.of().formatHex(digest, 0, ID_HEX / 2))
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Hex digits of a replaced tool id: enough that two ids of one conversation never meet (96 bits). */
    public static final int ID_HEX = 24;
    /** Keeps an id's digest apart from a placeholder's tag of the same bytes. */
    private static final byte[] TOOL_ID_DOMAIN = "sluice tool id\0".getBytes(StandardCharsets.US_ASCII);

    /**
     * Replaces every redactable finding in {@code body} (one edit each, reason {@code guard: <rule>});
     * returns how many it replaced. Findings of one scan never overlap, so the edits cannot clash with each other.
     * A finding inside a tool call's id replaces the whole id with {@link #toolId} (one edit per id, however many
     * findings it holds): a placeholder there is no id, and the upstream would refuse the request.
     */
    public int redact(RequestBody body, List<Finding> findings) {
        List<int[]> ids = findings.stream().anyMatch(ToolIds::named) ? ToolIds.of(body.array(), body.length()) : List.of();
        java.util.Set<int[]> replaced = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        int n = 0;
        for (Finding f : findings) {
            if (!f.redactable() || f.end() <= f.start()) {
                continue;
            }
            int[] id = ToolIds.named(f) ? ToolIds.holding(ids, f.start(), f.end()) : null;
            if (id == null) {
                body.replace(f.start(), f.end(), placeholder(f, body.array()), "guard: " + f.rule());
            } else if (replaced.add(id)) {
                body.replace(id[0], id[1], toolId(body.array(), id[0], id[1]), "guard: " + f.rule());
            }
            n++;
        }
        return n;
    }

    /** The decoded bytes of a raw JSON string fragment made of whole characters and whole escapes. */
    static byte[] decode(byte[] body, int start, int end) {
        byte[] out = new byte[end - start];
        int n = 0;
        int i = start;
        while (i < end) {
            if (body[i] == '\\') {
                long e = Escapes.decode(body, i, end);
                for (int k = 0; k < Escapes.count(e); k++) {
                    out[n++] = (byte) Escapes.byteAt(e, k);
                }
                i += Escapes.rawLength(e);
            } else {
                out[n++] = body[i++];
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
