package dev.sluice.signin.telemetry;

import static dev.sluice.signin.telemetry.ProtoBytes.concat;
import static dev.sluice.signin.telemetry.ProtoBytes.len;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The relay's parts on their own: the breaker's states, and the protobuf rewrite against hostile and unusual input. */
class TelemetryPartsTest {
    static final Map<String, String> ATTRS = new LinkedHashMap<>(Map.of("user.id", "dev@corp.example"));

    @Test
    void theBreakerOpensAfterFailuresInARowThenLetsOneTrialThroughAfterItsCooldown() {
        AtomicLong now = new AtomicLong(1_000);
        Breaker b = new Breaker(3, 500, now::get);
        b.failure();
        b.failure();
        b.success(); // a success in between starts the count again
        b.failure();
        b.failure();
        assertThat(b.allow()).isTrue();
        b.failure();
        assertThat(b.mode()).isEqualTo(Breaker.Mode.OPEN);
        assertThat(b.allow()).isFalse();
        now.addAndGet(500);
        assertThat(b.allow()).as("the one trial").isTrue();
        assertThat(b.allow()).as("only one trial at a time").isFalse();
        b.failure();
        assertThat(b.mode()).as("a failed trial reopens at once").isEqualTo(Breaker.Mode.OPEN);
        now.addAndGet(500);
        assertThat(b.allow()).isTrue();
        b.success();
        assertThat(b.mode()).isEqualTo(Breaker.Mode.CLOSED);
        assertThat(b.allow()).isTrue();
    }

    @Test
    void theRewriteKeepsEveryOtherFieldAndReplacesOnlyOurKeys() {
        // Resource { attributes: [service.name=cc, user.id=spoof], dropped_attributes_count: 7 }
        byte[] resource = concat(len(1, kv("service.name", "cc")), len(1, kv("user.id", "spoof")), new byte[] {0x10, 0x07});
        // ResourceSpans { resource, scope_spans (field 2, opaque bytes), schema_url (field 3) } and an unknown fixed64 field 9
        byte[] entry = concat(len(1, resource), len(2, new byte[] {0x0a, 0x01, 0x41}), len(3, "https://schema".getBytes()),
                new byte[] {0x49, 1, 2, 3, 4, 5, 6, 7, 8});
        byte[] request = concat(len(1, entry), len(1, new byte[0]));

        byte[] out = ResourceAttributes.protobuf(request, ATTRS);
        String text = new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(text).contains("service.name", "cc", "https://schema", "dev@corp.example").doesNotContain("spoof");
        assertThat(ResourceAttributes.protobuf(out, ATTRS)).as("idempotent").isEqualTo(out);
        assertThat(countOf(out, "user.id")).as("one per resource, both resources").isEqualTo(2);
    }

    @Test
    void malformedProtobufIsRefusedNotReadPastItsEnd() {
        assertThatThrownBy(() -> ResourceAttributes.protobuf(new byte[] {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}, ATTRS))
                .isInstanceOf(ProtoWire.Malformed.class);
        assertThatThrownBy(() -> ResourceAttributes.protobuf(new byte[] {0x0b}, ATTRS)).isInstanceOf(ProtoWire.Malformed.class);
        assertThatThrownBy(() -> ResourceAttributes.protobuf(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
                (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01}, ATTRS))
                .isInstanceOf(ProtoWire.Malformed.class);
        assertThat(TelemetryRelay.rewrite(new byte[] {0x0a, 0x05}, Signal.LOGS, TelemetryRelay.PROTOBUF, ATTRS)).isNull();
        assertThat(TelemetryRelay.rewrite("{\"resourceLogs\": 3}".getBytes(), Signal.LOGS, TelemetryRelay.JSON, ATTRS)).isNull();
        assertThat(TelemetryRelay.mediaType("Application/X-Protobuf; charset=binary")).isEqualTo(TelemetryRelay.PROTOBUF);
    }

    private static byte[] kv(String k, String v) {
        ByteArrayOutputStream any = new ByteArrayOutputStream();
        ProtoWire.writeString(any, 1, v);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProtoWire.writeString(out, 1, k);
        ProtoWire.writeLen(out, 2, any.toByteArray());
        return out.toByteArray();
    }

    private static int countOf(byte[] haystack, String needle) {
        String s = new String(haystack, java.nio.charset.StandardCharsets.ISO_8859_1);
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
