package dev.sluice.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.wire.Usage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JournalCodecTest {

    @Test
    void roundTripsEveryField() {
        LedgerRecord full = new LedgerRecord("req\n\"1\"", 3, Instant.ofEpochMilli(1_763_632_800_123L), "k", "ka", "u", "t",
                "o", Map.of("repo", "api", "ünï", "çødé"), "s", "c", "/v1/messages", "rm", "sm", "bedrock", "up", 529,
                "overloaded_error", new Usage(1, 2, 3, 4, 5, 6, 7, 8), true, 9, 10, 11, "HIT", 12, 13, 14, true);
        assertThat(roundTrip(full)).isEqualTo(full);
        LedgerRecord sparse = new LedgerRecord("r", 0, Instant.ofEpochMilli(0), null, null, null, null, null, null, null,
                null, null, null, null, null, null, 0, null, null, false, 0, 0, 0, null, 0, 0, 0, false);
        assertThat(roundTrip(sparse)).isEqualTo(sparse);
        assertThat(new String(JournalCodec.encode(full), StandardCharsets.UTF_8)).doesNotContain("\n");
        LedgerRecord unpriced = new LedgerRecord("u", 1, Instant.ofEpochMilli(5), null, null, null, null, null, null, null,
                null, null, "acme-model", "acme-model", "openai", null, 200, null, Usage.of(10, 20), false, 525_000, 0, 0,
                null, 0, 0, 0, false, 0, 0, null, true);
        assertThat(roundTrip(unpriced).defaultPriced()).isTrue();
        assertThat(roundTrip(full).defaultPriced()).isFalse();
    }

    @Test
    void refusesAnotherFormatVersion() {
        byte[] future = "{\"v\":2,\"request_id\":\"r\"}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> JournalCodec.decode(future, 0, future.length))
                .hasMessageContaining("format version 2 (expected: 1)");
    }

    private static LedgerRecord roundTrip(LedgerRecord r) {
        byte[] b = JournalCodec.encode(r);
        return JournalCodec.decode(b, 0, b.length);
    }
}
