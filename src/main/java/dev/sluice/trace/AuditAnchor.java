package dev.sluice.trace;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.wire.Json;
import dev.sluice.wire.JsonText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;

/**
 * What the audit log held when last anchored, kept outside it: the number of lines in the current
 * audit file and the chain value after the last of them. A chain, keyed or not, cannot show that
 * lines were cut from its end or that the whole file was emptied (what is left still chains), so
 * {@code sluice audit verify} compares the file with this record: fewer lines, or a different chain
 * value at the anchored line, is tampering. The writer replaces the anchor atomically (owner-only)
 * about once a second while lines arrive, at rotation and at close. The record carries its own HMAC
 * under the audit key, so it cannot be rewritten to match a cut file without the key.
 *
 * @param file  the audit file it describes (absolute), for messages
 * @param lines lines in that file (rotated files not counted: the chain links them)
 * @param chain the chain value after line {@code lines}; for 0 lines, the value the file's first line continues
 * @param at    when it was written
 */
public record AuditAnchor(String file, long lines, String chain, Instant at) {
    /** The anchor of {@code auditFile}: {@code <its name>.anchor} in the data directory (one per log sharing it). */
    public static Path fileFor(Path auditFile, Path dataDir) {
        return dataDir.resolve(auditFile.getFileName() + ".anchor");
    }

    /** Thrown when an anchor cannot be read or its HMAC does not match the key. */
    public static final class Invalid extends IOException {
        Invalid(String message) {
            super(message);
        }
    }

    /** Writes this anchor to {@code target}, replacing it atomically. */
    void write(Path target, Mac mac) throws IOException {
        byte[] text = new JsonText(256).field("file", file).field("lines", lines).field("chain", chain)
                .field("at", at.toString()).field("anchor_hmac", seal(mac)).closedBytes();
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        AuditKey.ownerOnly(tmp);
        DurableFiles.writeSynced(tmp, java.nio.ByteBuffer.allocate(text.length + 1).put(text).put((byte) '\n').flip());
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        DurableFiles.syncDirectory(target);
    }

    /** Reads the anchor in {@code source} and checks its HMAC under the key {@code mac} holds. */
    static AuditAnchor read(Path source, Mac mac) throws IOException {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(source.toFile());
        } catch (IOException e) {
            throw new Invalid("audit anchor " + source + " cannot be read: " + e.getMessage());
        }
        if (n == null || !n.path("lines").canConvertToLong() || n.path("lines").asLong() < 0
                || !n.path("chain").isTextual() || !n.path("file").isTextual() || !n.path("at").isTextual()) {
            throw new Invalid("audit anchor " + source + ": expected the fields file, lines, chain, at, anchor_hmac");
        }
        AuditAnchor a;
        try {
            a = new AuditAnchor(n.path("file").asText(), n.path("lines").asLong(), n.path("chain").asText(),
                    Instant.parse(n.path("at").asText()));
        } catch (RuntimeException e) {
            throw new Invalid("audit anchor " + source + ": bad time in \"at\"");
        }
        byte[] claimed = n.path("anchor_hmac").asText().getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(claimed, a.seal(mac).getBytes(StandardCharsets.US_ASCII))) {
            throw new Invalid("audit anchor " + source + " was altered, or belongs to another key (its HMAC does not match)");
        }
        return a;
    }

    /** The HMAC over every field, so no field can be changed without the key. */
    private String seal(Mac mac) {
        String text = "sluice-audit-anchor\n" + file + "\n" + lines + "\n" + chain + "\n" + at;
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }
}
