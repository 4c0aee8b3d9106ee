package dev.sluice.trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secret the audit chain is keyed with (HMAC-SHA256). Without it nobody can recompute the chain
 * after an edit, which a plain hash chain from a public starting value allows anyone who can write the
 * file. It comes from {@code $SLUICE_AUDIT_KEY} (64 hex digits; keeps it off the data directory's disk)
 * or from {@code audit.key} in the data directory, which the gateway creates on first start (32 random
 * bytes as hex, owner-only). Its value is never logged and never written into the audit log.
 */
public final class AuditKey {
    /** The key file's name in the data directory. */
    public static final String FILE = "audit.key";
    /** The environment variable that, when set, holds the key instead of the file. */
    public static final String ENV = "SLUICE_AUDIT_KEY";
    private static final Logger LOG = LoggerFactory.getLogger(AuditKey.class);
    private static final int BYTES = 32;

    private final byte[] secret;
    private final String source;

    private AuditKey(byte[] secret, String source) {
        this.secret = secret;
        this.source = source;
    }

    /** The key from {@code env}'s {@value #ENV}, else {@code dataDir/audit.key}, created when missing. */
    public static AuditKey loadOrCreate(Map<String, String> env, Path dataDir) {
        return loadOrCreate(env, dataDir, null);
    }

    /**
     * As {@link #loadOrCreate(Map, Path)}, but never creates a key while {@code anchorFile} exists: the anchor shows a
     * log keyed with the missing key, and a new one would leave that log unverifiable for good (and the start would then
     * fail on the anchor anyway, blaming tampering). Attack round 19: a deleted {@code audit.key} was silently replaced.
     */
    public static AuditKey loadOrCreate(Map<String, String> env, Path dataDir, Path anchorFile) {
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new AuditKey(parse(fromEnv, "$" + ENV), "$" + ENV);
        }
        Path file = dataDir.resolve(FILE);
        try {
            if (!Files.exists(file)) {
                if (anchorFile != null && Files.exists(anchorFile)) {
                    throw new IllegalStateException("audit key " + file + " is missing, but " + anchorFile + " anchors an "
                            + "audit log keyed with it: restore the key file (or set $" + ENV + " to it). A new key would "
                            + "leave that log unverifiable; to begin a new audit log on purpose, move the log and "
                            + anchorFile.getFileName() + " aside first");
                }
                create(file);
            }
            warnIfShared(file);
            return read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("audit key " + file + ": " + e.getMessage(), e);
        }
    }

    /** The key in {@code file} (64 hex digits). */
    public static AuditKey read(Path file) throws IOException {
        return new AuditKey(parse(Files.readString(file, StandardCharsets.US_ASCII), file.toString()), file.toString());
    }

    /** A key from its 64 hex digits (tests, {@code $SLUICE_AUDIT_KEY}). */
    public static AuditKey of(String hex) {
        return new AuditKey(parse(hex, "the key"), "given");
    }

    private static byte[] parse(String text, String where) {
        String hex = text.strip();
        if (hex.length() != 2 * BYTES || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("audit key in " + where + ": expected 64 hex digits (32 bytes)");
        }
        return HexFormat.of().parseHex(hex);
    }

    /** Writes a new random key; a file that appeared meanwhile (another process) is kept, never replaced. */
    private static void create(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        byte[] secret = new byte[BYTES];
        new SecureRandom().nextBytes(secret);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        ownerOnly(tmp);
        DurableFiles.writeSynced(tmp, java.nio.ByteBuffer.wrap((HexFormat.of().formatHex(secret) + "\n")
                .getBytes(StandardCharsets.US_ASCII)));
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            DurableFiles.syncDirectory(file);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(tmp);
        }
    }

    /** Anyone who can read the key can forge the log: say so when the file is open to more than its owner. */
    private static void warnIfShared(Path file) throws IOException {
        try {
            String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
            if (!mode.endsWith("------")) {
                LOG.warn("audit key {} is readable or writable by others ({}): whoever can read it can forge the audit log;"
                        + " chmod 600 it", file, mode);
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own access rules apply
        }
    }

    /** Creates {@code file} readable and writable by its owner only (where the file system knows POSIX modes). */
    static void ownerOnly(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
    }

    /** A new HMAC-SHA256 instance under this key; a {@link Mac} is not thread-safe, so each user keeps its own. */
    Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Where the key came from (a path or the variable's name), for messages; never the key. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "AuditKey[" + source + "]";
    }
}
