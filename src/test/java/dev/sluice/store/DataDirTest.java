package dev.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirTest {
    @TempDir
    Path tmp;

    @Test
    void aDataDirTheGatewayCreatesIsOwnerOnly() throws Exception {
        Path dir = tmp.resolve("srv/sluice/data");
        try (Database db = Database.open(StoreSettings.sqlite(dir))) {
            assertThat(Files.exists(dir.resolve(Database.SQLITE_FILE))).isTrue();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(DataDir.readableByOthers(dir)).isFalse();
    }

    @Test
    void anExistingDirectoryIsLeftAsTheOperatorSetItAndNamedWhenOthersCanRead() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("shared"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        DataDir.create(dir);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwxr-xr-x");
        assertThat(DataDir.readableByOthers(dir)).isTrue();
    }
}
