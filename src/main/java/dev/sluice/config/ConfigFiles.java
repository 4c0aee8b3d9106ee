package dev.sluice.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Reads configuration and secret files with bounds, and writes a configuration file the way a careful editor does, so a
 * file watch or a reader never sees half of it.
 */
public final class ConfigFiles {
    /** Far above any real configuration; a 50 MB file was read, parsed, copied into every version and diffed whole. */
    public static final int MAX_CONFIG_BYTES = 4 * 1024 * 1024;
    /** A secret named by {@code ${file:...}}: a key, a token, a password. */
    static final int MAX_SECRET_BYTES = 64 * 1024;

    private ConfigFiles() {
    }

    /** The configuration file's text; {@link ConfigException} naming the file and what is wrong with it. */
    public static String read(Path file) {
        return read(file, MAX_CONFIG_BYTES, "");
    }

    /**
     * The text of {@code file}, which must be a regular file of at most {@code maxBytes} bytes of UTF-8 (attack round 27:
     * a Latin-1 byte was "cannot read (Input length = 1)", which named nothing, and the file watch said the file "kept
     * changing" a minute later; a FIFO or {@code /dev/zero} hung the reload or read until the heap ran out).
     * {@code what} starts the message ("key 'x': secret file ").
     */
    static String read(Path file, int maxBytes, String what) {
        byte[] bytes;
        try {
            if (!Files.exists(file)) {
                throw new ConfigException(what + file + ": file not found");
            }
            if (!Files.isRegularFile(file)) {
                throw new ConfigException(what + file + ": not a regular file (expected: a file of text)");
            }
            try (java.io.InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(maxBytes + 1);
            }
        } catch (IOException e) {
            throw new ConfigException(what + file + ": cannot read (" + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage()) + ")");
        }
        if (bytes.length > maxBytes) {
            throw new ConfigException(what + file + ": over " + maxBytes / 1024 + " KB (expected: a file of at most "
                    + maxBytes / 1024 + " KB)");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            int line = 1;
            int at = firstBadByte(bytes);
            for (int i = 0; i < at; i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            throw new ConfigException(what + file + ": not UTF-8 text (byte 0x" + String.format("%02x", bytes[at] & 0xff)
                    + " at line " + line + "; expected: a file saved as UTF-8)");
        }
    }

    /** The offset of the first byte that does not decode as UTF-8. */
    private static int firstBadByte(byte[] bytes) {
        java.nio.charset.CharsetDecoder d = StandardCharsets.UTF_8.newDecoder();
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
        d.decode(in, out, true);
        return Math.min(in.position(), bytes.length - 1);
    }

    /**
     * Replaces {@code file}'s content with {@code text}: a temporary file beside it (with the file's permissions),
     * then one rename. A symbolic link is written through, to the file it points at.
     */
    static void replace(Path file, String text) throws IOException {
        Path target = Files.exists(file) ? file.toRealPath() : file;
        Path tmp = target.resolveSibling("." + target.getFileName() + ".sluice-tmp");
        Files.deleteIfExists(tmp);
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
            if (Files.exists(target) && Files.getFileAttributeView(target, PosixFileAttributeView.class) != null) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(target);
                Files.setPosixFilePermissions(tmp, perms);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }
}
