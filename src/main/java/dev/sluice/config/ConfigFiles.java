package dev.sluice.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** Writes a configuration file the way a careful editor does, so a file watch or a reader never sees half of it. */
final class ConfigFiles {
    private ConfigFiles() {
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
