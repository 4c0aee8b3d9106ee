package dev.sluice.trace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;

/**
 * Checks an audit log ({@link AuditWriter}). Every line ends in a chain value computed over the one
 * before it and this line's content: {@code "hmac"}, HMAC-SHA256 under the {@link AuditKey}, or on
 * lines written before the chain was keyed, {@code "chain"}, plain SHA-256. An edited, deleted,
 * inserted or reordered line breaks the chain there, and without the key nobody can recompute it.
 * Rotated files ({@code audit.jsonl.<millis>}) are checked oldest first, continuing one chain. The
 * {@link AuditAnchor} then catches what a chain cannot: lines cut from the end, or an emptied file.
 *
 * <p>Unkeyed lines are accepted only before the first keyed line and, when there is an anchor, only up
 * to the anchored line (they were in the file when the keyed writer took over, and the anchor's value
 * pins them); anywhere else they are a forger's work. A log of unkeyed lines alone, checked without an
 * anchor, passes as legacy: its chain shows accidents, not edits by someone who can write the file.
 */
public final class AuditChain {
    private AuditChain() {
    }

    /**
     * @param lines       lines checked
     * @param legacyLines of which unkeyed (plain SHA-256)
     * @param anchored    true when an anchor was compared
     * @param brokenFile  the file of the first problem (the audit file, or the anchor), or null when all holds
     * @param brokenLine  its 1-based line number, or 0 when the problem is not one line
     * @param reason      what is wrong there
     */
    public record Result(long lines, long legacyLines, boolean anchored, Path brokenFile, long brokenLine, String reason) {
        public boolean ok() {
            return brokenFile == null;
        }
    }

    /** True when {@code file} or a rotated file of it exists: there is a log to verify. */
    public static boolean exists(Path file) throws IOException {
        return Files.exists(file) || !AuditLines.rotated(file).isEmpty();
    }

    /** Verifies {@code file} in the gateway's default layout: the data directory (holding key and anchor) is its own. */
    public static Result verify(Path file) throws IOException {
        return verify(file, file.toAbsolutePath().getParent());
    }

    /**
     * Verifies {@code file} with the key ({@value AuditKey#FILE}) and the anchor ({@code <name>.anchor}) in the gateway's
     * data directory {@code dataDir}; with a key the anchor is required.
     */
    public static Result verify(Path file, Path dataDir) throws IOException {
        Path keyFile = dataDir.resolve(AuditKey.FILE);
        AuditKey key = Files.exists(keyFile) ? AuditKey.read(keyFile) : null;
        return verify(file, key, AuditAnchor.fileFor(file, dataDir), key != null);
    }

    /**
     * Verifies {@code file} and the rotated files before it.
     *
     * @param key           the chain's key, or null (then only unkeyed lines can be checked)
     * @param anchorFile    the anchor to compare with, or null
     * @param requireAnchor fail when {@code anchorFile} is missing
     */
    public static Result verify(Path file, AuditKey key, Path anchorFile, boolean requireAnchor) throws IOException {
        Mac mac = key == null ? null : key.newMac();
        AuditAnchor anchor = null;
        if (anchorFile != null && Files.exists(anchorFile)) {
            if (mac == null) {
                return broken(anchorFile, 0, "the anchor can only be checked with the audit key (--key)");
            }
            try {
                anchor = AuditAnchor.read(anchorFile, mac);
            } catch (AuditAnchor.Invalid e) {
                return broken(anchorFile, 0, e.getMessage());
            }
        } else if (requireAnchor) {
            return broken(anchorFile, 0, "no anchor file: lines cut from the end could not be detected"
                    + " (--anchor FILE, or --no-anchor to check the chain alone)");
        }
        return new Walk(file, mac, anchor).run();
    }

    private static Result broken(Path where, long line, String reason) {
        return new Result(0, 0, false, where, line, reason);
    }

    /** One pass over the chain's files. */
    private static final class Walk {
        private final Path file;
        private final Mac mac;
        private final AuditAnchor anchor;
        private final MessageDigest sha = sha256();
        private String chain = AuditLines.GENESIS;
        private long total;
        private long legacy;
        private boolean keyedSeen;

        Walk(Path file, Mac mac, AuditAnchor anchor) {
            this.file = file;
            this.mac = mac;
            this.anchor = anchor;
        }

        Result run() throws IOException {
            List<Path> files = new ArrayList<>(AuditLines.rotated(file));
            long before = 0;
            for (Path f : files) {
                long[] n = {0};
                String reason = walk(f, false, n);
                if (reason != null) {
                    return result(f, n[0], reason);
                }
                before = n[0];
            }
            String entering = chain;
            long[] n = {0};
            if (Files.exists(file)) {
                String reason = walk(file, true, n);
                if (reason != null) {
                    return result(file, n[0], reason);
                }
            }
            return anchor == null ? result(null, 0, null) : compareWithAnchor(entering, n[0], before);
        }

        /** Checks one file's lines; the reason at the first bad one (its number left in {@code n[0]}), else null. */
        private String walk(Path f, boolean current, long[] n) throws IOException {
            try (AuditLines in = AuditLines.open(f)) {
                while (in.next()) {
                    n[0]++;
                    total++;
                    String reason = check(in.bytes(), in.length(), in.tooLong(), current, n[0]);
                    if (reason != null) {
                        return reason;
                    }
                }
            }
            return null;
        }

        private String check(byte[] line, int len, boolean tooLong, boolean current, long n) {
            int at = tooLong ? -1 : AuditLines.tail(line, len);
            if (at < 0) {
                return tooLong ? "line longer than " + AuditLines.MAX_LINE + " bytes" : "no chain value at the end of the line";
            }
            String expected;
            if (AuditLines.keyed(line, at)) {
                if (mac == null) {
                    return "the line is keyed (\"hmac\"): give the audit key (--key, $" + AuditKey.ENV + " or "
                            + AuditKey.FILE + " in --data-dir)";
                }
                keyedSeen = true;
                mac.update(chain.getBytes(StandardCharsets.US_ASCII));
                mac.update(line, 0, at);
                expected = HexFormat.of().formatHex(mac.doFinal());
            } else {
                if (keyedSeen) {
                    return "an unkeyed line after keyed ones: lines were rewritten by someone without the key";
                }
                if (anchor != null && current && n > anchor.lines()) {
                    return "an unkeyed line after the anchored line " + anchor.lines() + ": written by someone without the key";
                }
                legacy++;
                sha.update(chain.getBytes(StandardCharsets.US_ASCII));
                sha.update(line, 0, at);
                expected = HexFormat.of().formatHex(sha.digest());
            }
            String claimed = AuditLines.value(line, len);
            if (!expected.equals(claimed)) {
                return "chain mismatch: the line was changed, or a line before it was removed, added or moved";
            }
            chain = claimed;
            if (anchor != null && current && n == anchor.lines() && !chain.equals(anchor.chain())) {
                return "the line differs from the anchored one: the file was replaced since the anchor was written";
            }
            return null;
        }

        private Result compareWithAnchor(String entering, long lines, long lastRotatedLines) {
            if (lines < anchor.lines()) {
                // The gateway stopped between moving a full file aside and anchoring the new one: the anchor still
                // describes the rotated file, which is intact (its chain value is the anchored one).
                boolean rotatedUnderIt = lines == 0 && lastRotatedLines == anchor.lines() && entering.equals(anchor.chain());
                if (!rotatedUnderIt) {
                    return result(file, lines + 1, "truncated: anchor says " + anchor.lines() + " lines, file has " + lines);
                }
            } else if (anchor.lines() == 0 && !entering.equals(anchor.chain())) {
                return result(file, 0, "the files before this one changed since the anchor was written"
                        + " (a rotated file was cut, removed or replaced)");
            }
            return result(null, 0, null);
        }

        private Result result(Path where, long line, String reason) {
            return new Result(total, legacy, anchor != null, where, line, reason);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
