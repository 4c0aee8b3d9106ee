package dev.sluice.provider.bedrock;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Bedrock's CountTokens answer {@code {"inputTokens":N}} as Anthropic's {@code {"input_tokens":N}}. */
final class BedrockCountTokens {
    private BedrockCountTokens() {
    }

    static byte[] canonical(byte[] body) {
        long tokens = -1;
        try (JsonParser p = Json.FACTORY.createParser(body)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    if (name.equals("inputTokens") && v == JsonToken.VALUE_NUMBER_INT) {
                        tokens = p.getLongValue();
                    } else {
                        p.skipChildren();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            tokens = -1;
        }
        if (tokens < 0) {
            return BedrockErrors.envelope("api_error", "Bedrock's token count could not be read");
        }
        return ("{\"input_tokens\":" + tokens + "}").getBytes(StandardCharsets.US_ASCII);
    }
}
