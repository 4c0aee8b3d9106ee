package dev.sluice.provider.bedrock;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/** Test fixtures under src/test/resources/providers/, and Bedrock event-stream frames built with the SDK's codec. */
final class Fixtures {
    private Fixtures() {
    }

    static byte[] bytes(String resource) {
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String resource) {
        return new String(bytes(resource), StandardCharsets.UTF_8).strip();
    }

    static List<String> lines(String resource) {
        return text(resource).lines().filter(l -> !l.isBlank()).toList();
    }

    /** One {@code chunk} frame as Bedrock sends it: base64 event bytes plus the {@code p} padding field. */
    static byte[] chunkFrame(String eventJson) {
        String b64 = Base64.getEncoder().encodeToString(eventJson.getBytes(StandardCharsets.UTF_8));
        String payload = "{\"bytes\":\"" + b64 + "\",\"p\":\"abcdefghijklmnopqrstuvwxyzABCDEFGHIJ\"}";
        Map<String, HeaderValue> h = new LinkedHashMap<>();
        h.put(":event-type", HeaderValue.fromString("chunk"));
        h.put(":content-type", HeaderValue.fromString("application/json"));
        h.put(":message-type", HeaderValue.fromString("event"));
        return encode(new Message(h, payload.getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] exceptionFrame(String exceptionType, String message) {
        Map<String, HeaderValue> h = new LinkedHashMap<>();
        h.put(":exception-type", HeaderValue.fromString(exceptionType));
        h.put(":content-type", HeaderValue.fromString("application/json"));
        h.put(":message-type", HeaderValue.fromString("exception"));
        return encode(new Message(h, ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] encode(Message m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.encode(out);
        return out.toByteArray();
    }

    static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
