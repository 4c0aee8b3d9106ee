package dev.sluice.trace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import javax.crypto.Mac;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a restarted {@link AuditWriter} continues: the lines already in the audit file and the chain
 * value its next line follows (the last line's, or for an empty file the newest rotated file's last
 * line's, or the genesis value). Before continuing it compares the file with the {@link AuditAnchor}:
 * a file cut, emptied or replaced while the gateway was down would otherwise be anchored afresh and
 * pass {@code sluice audit verify} from then on, so the writer refuses to start instead, naming what
 * is wrong and how to keep the evidence and begin a new log.
 *
 * @param lines lines in the audit file
 * @param chain the chain value the next line continues
 */
record AuditResume(long lines, String chain) {
    private static final Logger LOG = LoggerFactory.getLogger(AuditResume.class);

    /** Thrown when the audit file no longer matches its anchor. */
    static final class Tampered extends IllegalStateException {
        Tampered(Path file, Path anchorFile, String what) {
            super("audit log " + file + ": " + what + ". Run `sluice audit verify`, keep the files as evidence, then move "
                    + file.getFileName() + " and " + anchorFile.getFileName() + " aside to begin a new audit log");
        }
    }

    static AuditResume of(Path file, Path anchorFile, Mac mac) throws IOException {
        AuditAnchor anchor = anchor(file, anchorFile, mac);
        Scan scan = Scan.of(file, anchor == null ? -1 : anchor.lines());
        String entering = AuditLines.GENESIS;
        Scan previous = null;
        if (scan.lines == 0) {
            List<Path> rotated = AuditLines.rotated(file);
            if (!rotated.isEmpty()) {
                previous = Scan.of(rotated.getLast(), -1);
                entering = previous.last == null ? AuditLines.GENESIS : previous.last;
            }
        }
        String chain = scan.last != null ? scan.last : entering;
        if (anchor == null) {
            if (scan.keyed) {
                throw new Tampered(file, anchorFile, "it holds keyed lines but its anchor " + anchorFile + " is missing");
            }
        } else if (scan.lines < anchor.lines()) {
            // Stopped between moving a full file aside and anchoring the new one: the anchor describes the rotated file.
            boolean rotatedUnderIt = previous != null && previous.lines == anchor.lines() && entering.equals(anchor.chain());
            if (!rotatedUnderIt) {
                throw new Tampered(file, anchorFile, "truncated: anchor says " + anchor.lines() + " lines, file has " + scan.lines);
            }
        } else if (anchor.lines() > 0 && !anchor.chain().equals(scan.atAnchor)) {
            throw new Tampered(file, anchorFile, "line " + anchor.lines() + " differs from the anchored one (the file was replaced)");
        } else if (anchor.lines() == 0 && !anchor.chain().equals(entering)) {
            throw new Tampered(file, anchorFile, "the files before it changed since the anchor was written");
        }
        return new AuditResume(scan.lines, chain);
    }

    /** The anchor for {@code file}; one left by a log at another path is moved aside (that log stays checkable with it). */
    private static AuditAnchor anchor(Path file, Path anchorFile, Mac mac) throws IOException {
        if (!Files.exists(anchorFile)) {
            return null;
        }
        AuditAnchor anchor;
        try {
            anchor = AuditAnchor.read(anchorFile, mac);
        } catch (AuditAnchor.Invalid e) {
            throw new Tampered(file, anchorFile, e.getMessage());
        }
        if (anchor.file().equals(file.toAbsolutePath().toString())) {
            return anchor;
        }
        Path aside = anchorFile.resolveSibling(anchorFile.getFileName() + "." + System.currentTimeMillis());
        Files.move(anchorFile, aside, StandardCopyOption.ATOMIC_MOVE);
        LOG.warn("audit log: the anchor described {}, not {}; kept as {} (verify that log with --anchor {})", anchor.file(),
                file.toAbsolutePath(), aside, aside);
        return null;
    }

    /** One read of an audit file: its line count, the chain value at one line and at the last, and whether any is keyed. */
    private record Scan(long lines, String atAnchor, String last, boolean keyed) {
        static Scan of(Path file, long wanted) throws IOException {
            if (!Files.exists(file)) {
                return new Scan(0, null, null, false);
            }
            long n = 0;
            String at = null;
            String last = null;
            boolean keyed = false;
            try (AuditLines in = AuditLines.open(file)) {
                while (in.next()) {
                    n++;
                    int tail = in.tooLong() ? -1 : AuditLines.tail(in.bytes(), in.length());
                    String value = tail < 0 ? null : AuditLines.value(in.bytes(), in.length());
                    if (value != null) {
                        last = value;
                        keyed |= AuditLines.keyed(in.bytes(), tail);
                    }
                    if (n == wanted) {
                        at = value;
                    }
                }
            }
            return new Scan(n, at, last, keyed);
        }
    }
}
