package dev.sluice.cache.entry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cache.Answers;
import dev.sluice.cache.key.Placeholder;
import dev.sluice.wire.SseEvent;
import dev.sluice.wire.Usage;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EntryCodecTest {
    static CacheEntry entry(int textLength) {
        StringBuilder text = new StringBuilder();
        Random r = new Random(1);
        while (text.length() < textLength) {
            text.append(new String[] {"the ", "cache ", "answer ", "streams ", "tokens ", "fast. "}[r.nextInt(6)]);
        }
        List<SseEvent> events = Answers.stream("end_turn", Answers.text(text.toString()));
        AnswerTemplater.Templated t = AnswerTemplater.stream(events, dev.sluice.cache.key.Bindings.NONE);
        return new CacheEntry(CacheEntry.Form.STREAM, t.payload(), t.eventEnds(), "claude-opus-5-5", "end_turn",
                new Usage(10, 20, 30, 40, 25, 5, 1, 2), Map.of(Placeholder.GIT_USER, "Alice Example"), 111, 222);
    }

    @Test
    void roundTripsEveryField() {
        for (int size : List.of(10, 20_000)) {
            CacheEntry e = entry(size);
            CacheEntry back = EntryCodec.decode(EntryCodec.encode(e));
            assertThat(back).isNotNull();
            assertThat(back.payload()).isEqualTo(e.payload());
            assertThat(back.eventEnds()).isEqualTo(e.eventEnds());
            assertThat(back.usage()).isEqualTo(e.usage());
            assertThat(back.pins()).isEqualTo(e.pins());
            assertThat(back).usingRecursiveComparison().isEqualTo(e);
        }
    }

    @Test
    void compressesAStreamedAnswerWhenItPays() {
        CacheEntry small = entry(10);
        CacheEntry large = entry(20_000);
        assertThat(EntryCodec.encode(small).length).isGreaterThan(small.payload().length);
        assertThat(EntryCodec.encode(large).length).as("SSE framing repeats for every piece").isLessThan(large.payload().length / 4);
    }

    @Test
    void rejectsCorruptOrForeignBytesWithoutThrowing() {
        byte[] good = EntryCodec.encode(entry(20_000));
        for (int len = 0; len < good.length; len += 97) {
            assertThat(EntryCodec.decode(java.util.Arrays.copyOf(good, len))).as("truncated to %d", len).isNull();
        }
        Random r = new Random(5);
        for (int n = 0; n < 500; n++) {
            byte[] bad = good.clone();
            bad[4 + r.nextInt(bad.length - 4)] ^= (byte) (1 + r.nextInt(255));
            EntryCodec.decode(bad); // null or a valid entry, never an exception
        }
        assertThat(EntryCodec.decode("not an entry".getBytes())).isNull();
    }
}
