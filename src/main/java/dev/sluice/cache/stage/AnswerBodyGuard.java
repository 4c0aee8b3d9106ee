package dev.sluice.cache.stage;

import dev.sluice.cache.entry.WriteGuard;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.function.Function;

/**
 * Adapts a scanner of whole answer bodies ({@code {"content": [...]}}, the shape the guardrails' answer scan
 * reads) to the cache's {@link WriteGuard}: the answer's text (text, tool inputs and thinking, joined) is
 * wrapped as one text block and handed over. Plug the guardrails in with
 * <pre>{@code
 * service.writeGuards().plug(new AnswerBodyGuard(body -> {
 *     GuardScan scan = scanner.scanAnswer(body, body.length, policy);
 *     return scan.clean() ? null : "guard: " + scan.findings().getFirst().rule();
 * }));
 * }</pre>
 */
public final class AnswerBodyGuard implements WriteGuard {
    private final Function<byte[], String> scanner;

    /** @param scanner returns why the answer body must not be stored, or null */
    public AnswerBodyGuard(Function<byte[], String> scanner) {
        this.scanner = Objects.requireNonNull(scanner, "scanner");
    }

    @Override
    public String flag(String answerText) {
        return scanner.apply(body(answerText));
    }

    static byte[] body(String text) {
        try {
            var out = new java.io.ByteArrayOutputStream(text.length() + 48);
            try (var g = Json.FACTORY.createGenerator(out)) {
                g.writeStartObject();
                g.writeStringField("type", "message");
                g.writeArrayFieldStart("content");
                g.writeStartObject();
                g.writeStringField("type", "text");
                g.writeStringField("text", text);
                g.writeEndObject();
                g.writeEndArray();
                g.writeEndObject();
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
