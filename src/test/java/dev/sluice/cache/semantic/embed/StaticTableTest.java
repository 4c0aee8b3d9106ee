package dev.sluice.cache.semantic.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StaticTableTest {
    @Test
    void cacheFileRoundTripsAndAWrongOrTruncatedFileIsRejected() throws Exception {
        Path dir = Files.createTempDirectory("sluice-static");
        float[] rows = new float[5 * 3];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i * 0.5f;
        }
        StaticTable table = new StaticTable(5, 3, rows);
        Path file = dir.resolve("t.bin");
        table.write(dir, file);
        StaticTable back = StaticTable.read(file, 5, 3);
        float[] acc = new float[3];
        back.accumulate(4, 2f, acc);
        assertThat(acc).containsExactly(12f, 13f, 14f);
        assertThatThrownBy(() -> StaticTable.read(file, 6, 3)).hasMessageContaining("header");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 4));
        assertThatThrownBy(() -> StaticTable.read(file, 5, 3)).hasMessageContaining("size");
        try (var files = Files.list(dir)) {
            assertThat(files.filter(f -> f.toString().endsWith(".tmp"))).isEmpty();
        }
    }
}
