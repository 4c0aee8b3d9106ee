package dev.sluice.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checks an audit log's hash chain ({@link AuditWriter}): every line's {@code chain} must be the
 * SHA-256 of the previous line's chain and this line's content. An edited, deleted, inserted or
 * reordered line breaks the chain at that line (and every later value depends on it). Rotated files
 * ({@code audit.jsonl.<millis>}) are checked oldest first, continuing one chain.
 */
public final class AuditChain {
    private static final String TAIL = ",\"chain\":\"";

    private AuditChain() {
    }

    /**
     * @param lines      lines checked
     * @param brokenFile the file of the first broken line, or null when the chain holds
     * @param brokenLine its 1-based line number, or 0
     * @param reason     what is wrong there
     */
    public record Result(long lines, Path brokenFile, long brokenLine, String reason) {
        public boolean ok() {
            return brokenFile == null;
        }
    }

    /** Verifies {@code file} and the rotated files beside it. */
    public static Result verify(Path file) throws IOException {
        List<Path> files = new ArrayList<>(rotated(file));
        if (Files.exists(file)) {
            files.add(file);
        }
        MessageDigest sha = sha256();
        String chain = AuditWriter.GENESIS;
        long total = 0;
        for (Path f : files) {
            long n = 0;
            try (BufferedReader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                for (String line; (line = in.readLine()) != null; ) {
                    n++;
                    total++;
                    int at = line.lastIndexOf(TAIL);
                    if (at < 0 || !line.endsWith("\"}") || line.length() != at + TAIL.length() + 64 + 2) {
                        return new Result(total, f, n, "no chain value at the end of the line");
                    }
                    String content = line.substring(0, at);
                    String claimed = line.substring(at + TAIL.length(), at + TAIL.length() + 64);
                    sha.update(chain.getBytes(StandardCharsets.US_ASCII));
                    sha.update(content.getBytes(StandardCharsets.UTF_8));
                    String expected = HexFormat.of().formatHex(sha.digest());
                    if (!expected.equals(claimed)) {
                        return new Result(total, f, n, "chain mismatch: the line was changed, or a line before it was"
                                + " removed, added or moved");
                    }
                    chain = claimed;
                }
            }
        }
        return new Result(total, null, 0, null);
    }

    private static List<Path> rotated(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        String prefix = file.getFileName() + ".";
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)
                            && p.getFileName().toString().substring(prefix.length()).matches("\\d+"))
                    .sorted(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring(prefix.length()))))
                    .toList();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
