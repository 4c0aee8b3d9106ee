package dev.sluice.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/** Reads {@code error.type} out of an upstream error body, for the records; never fails. */
public final class UpstreamErrors {
    private static final JsonFactory JSON = dev.sluice.wire.Json.FACTORY;

    private UpstreamErrors() {
    }

    public static String type(Buffer body) {
        try (JsonParser p = JSON.createParser(body.getBytes())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return "api_error";
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if ("error".equals(name) && t == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String inner = p.currentName();
                        p.nextToken();
                        if ("type".equals(inner)) {
                            return p.getValueAsString("api_error");
                        }
                        p.skipChildren();
                    }
                    return "api_error";
                }
                p.skipChildren();
            }
        } catch (IOException | RuntimeException e) {
            // Not JSON: an HTML error page from a proxy in front of the upstream, say.
        }
        return "api_error";
    }
}
