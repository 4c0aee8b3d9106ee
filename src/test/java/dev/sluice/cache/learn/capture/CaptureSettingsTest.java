package dev.sluice.cache.learn.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cache.capture}: defaults, bad values named by key, and what {@link ShapeCapture#open} makes of it. */
class CaptureSettingsTest {
    private static SluiceConfig parse(String yaml) {
        return new ConfigLoader(Map.of()).parse("t.yaml", yaml);
    }

    @Test
    void offByDefaultAndBoundedWhenOn(@TempDir Path data) {
        SluiceConfig off = parse("cache: {}\n");
        assertThat(off.cache().capture().enabled()).isFalse();
        assertThat(ShapeCapture.open(off.cache().capture(), data)).isSameAs(ShapeCapture.OFF);

        SluiceConfig on = parse("cache: {capture: {enabled: true, max-bytes: 1MB, keep: 2, sample: 0.5}}\n");
        assertThat(on.cache().capture().maxBytes().bytes()).isEqualTo(1 << 20);
        try (ShapeCapture c = ShapeCapture.open(on.cache().capture(), data)) {
            assertThat(c.enabled()).isTrue();
            assertThat(c.dir()).isEqualTo(data.resolve("cache-capture"));
            assertThat(data.resolve("cache-capture").resolve("salt")).exists();
        }
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> parse("cache: {capture: {enabled: true, sample: 1.5}}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cache.capture.sample: 1.5");
        assertThatThrownBy(() -> parse("cache: {capture: {max-bytes: 1KB}}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cache.capture.max-bytes");
        assertThatThrownBy(() -> parse("cache: {capture: {keep: 1000}}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cache.capture.keep: 1000");
        assertThatThrownBy(() -> parse("cache: {capture: {enabeld: true}}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cache.capture.enabeld");
    }

    @Test
    void theSaltIsKeptAcrossStarts(@TempDir Path dir) throws Exception {
        byte[] first = ShapeCapture.salt(dir);
        assertThat(first).hasSize(32);
        assertThat(ShapeCapture.salt(dir)).isEqualTo(first);
    }
}
