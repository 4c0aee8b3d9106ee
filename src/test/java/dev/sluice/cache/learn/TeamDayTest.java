package dev.sluice.cache.learn;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cache.learn.capture.CaptureFiles;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The committed sample capture is exactly what {@link TeamDay} makes, and reads back whole. */
class TeamDayTest {
    static Path file() throws Exception {
        return Path.of(TeamDayTest.class.getResource(TeamDay.RESOURCE).toURI());
    }

    static CaptureFiles.Capture capture() throws Exception {
        return CaptureFiles.read(file(), 0, 10_000);
    }

    @Test
    void theCommittedCaptureIsTheGeneratorsOutput() throws Exception {
        String made = TeamDay.make();
        if (Boolean.getBoolean("sluice.regenerate")) {
            Files.writeString(Path.of("src/test/resources" + TeamDay.RESOURCE), made);
        }
        try (InputStream in = TeamDayTest.class.getResourceAsStream(TeamDay.RESOURCE)) {
            assertThat(in).as("run with -Dsluice.regenerate=true to make " + TeamDay.RESOURCE).isNotNull();
            assertThat(new String(in.readAllBytes(), UTF_8)).isEqualTo(made);
        }
    }

    @Test
    void itReadsBackWhole() throws Exception {
        CaptureFiles.Capture c = capture();
        assertThat(c.skipped()).isZero();
        assertThat(c.shapes()).hasSizeGreaterThan(100);
        assertThat(c.busts()).hasSize(1);
        assertThat(c.shapes()).anyMatch(s -> s.outcome().equals("hit")).anyMatch(s -> s.outcome().equals("refresh"))
                .anyMatch(s -> Boolean.FALSE.equals(s.stored())).allMatch(s -> s.parts() != null && s.answer() != null);
    }
}
