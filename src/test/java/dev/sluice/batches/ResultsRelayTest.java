package dev.sluice.batches;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every results line reaches the billing once and whole, however the body is cut into chunks. */
class ResultsRelayTest {
    private final List<String> lines = new ArrayList<>();
    private final ResultsRelay relay = new ResultsRelay((b, off, len) -> lines.add(new String(b, off, len, StandardCharsets.UTF_8)));

    @Test
    void linesSplitAcrossChunksAreJoinedAndTheLastNeedsNoNewline() {
        relay.feed(Buffer.buffer("{\"a\":1}\n{\"b\""));
        relay.feed(Buffer.buffer(":2}"));
        relay.feed(Buffer.buffer("\n\n{\"c\":3}\r\n{\"d\""));
        relay.feed(Buffer.buffer(":4}"));
        relay.finish();
        assertThat(lines).containsExactly("{\"a\":1}", "{\"b\":2}", "{\"c\":3}", "{\"d\":4}");
    }

    @Test
    void aLineLongerThanTheBoundIsToldAsUnreadableNeverCutIntoPieces() {
        byte[] big = new byte[ResultsRelay.MAX_LINE + 10];
        java.util.Arrays.fill(big, (byte) 'x');
        relay.feed(Buffer.buffer(big));
        relay.feed(Buffer.buffer("\n{\"ok\":1}\n"));
        assertThat(lines).containsExactly("?", "{\"ok\":1}");
    }
}
