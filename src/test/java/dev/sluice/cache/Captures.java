package dev.sluice.cache;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The sanitized real Claude Code captures under src/test/resources/cache/captures. */
public final class Captures {
    private Captures() {
    }

    /** The exact body bytes of a capture, e.g. {@code body("alice-turn2")}. */
    public static byte[] body(String name) {
        return capture(name).path("body").asText().getBytes(UTF_8);
    }

    public static JsonNode capture(String name) {
        try (InputStream in = Captures.class.getResourceAsStream("/cache/captures/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no capture " + name);
            }
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] demoBody() {
        try (InputStream in = Captures.class.getResourceAsStream("/demo/claude-code-request.json")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
