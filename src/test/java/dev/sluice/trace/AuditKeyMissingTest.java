package dev.sluice.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audit.key} deleted beside a keyed log (attack round 19): the start used to write a new random key over the
 * gap and then fail on the anchor, blaming tampering, with the new key on disk; the log was unverifiable from then on.
 * A missing key next to an anchor is refused before anything is written.
 */
class AuditKeyMissingTest {
    @TempDir
    Path dir;

    @Test
    void aMissingKeyBesideAnAnchoredLogIsRefusedAndNoNewKeyIsWritten() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditWriter w = AuditWriter.toFile(file)) {
            w.write("{\"kind\":\"request\"".getBytes(StandardCharsets.UTF_8));
        }
        Files.delete(dir.resolve(AuditKey.FILE));

        assertThatThrownBy(() -> AuditWriter.toFile(file)).hasMessageContaining("is missing")
                .hasMessageContaining("restore the key file");
        assertThat(dir.resolve(AuditKey.FILE)).doesNotExist();
    }

    @Test
    void aFirstStartStillCreatesTheKey() {
        AuditWriter.toFile(dir.resolve("audit.jsonl")).close();
        assertThat(dir.resolve(AuditKey.FILE)).exists();
    }
}
