package dev.sluice.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.translate.UpstreamDecoder;
import dev.sluice.translate.UsageReport;
import dev.sluice.wire.ErrorBody;
import dev.sluice.wire.Json;
import dev.sluice.wire.SseEvent;
import dev.sluice.wire.Usage;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * An OpenAI-protocol server's {@code GET /v1/models} as Anthropic's list (the canonical shape), or as one model
 * when the client asked for {@code /v1/models/{id}} (404 when the server does not list it). Listing is free.
 */
final class ModelListDecoder implements UpstreamDecoder, UsageReport {
    private final String wanted;
    private int status;
    private String errorType;

    /** @param wanted the id of {@code /v1/models/{id}}, or null for the list */
    ModelListDecoder(String wanted) {
        this.wanted = wanted;
    }

    @Override
    public void chunk(Buffer chunk, List<SseEvent> out) {
    }

    @Override
    public void end(List<SseEvent> out) {
    }

    @Override
    public Buffer body(int upstreamStatus, Buffer body) {
        status = upstreamStatus;
        if (upstreamStatus >= 300) {
            Object[] mapped = OpenAiErrors.body(upstreamStatus, body.getBytes());
            errorType = (String) mapped[0];
            return Buffer.buffer((byte[]) mapped[1]);
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body.getBytes());
        } catch (IOException e) {
            root = Json.MAPPER.createObjectNode();
        }
        StringBuilder data = new StringBuilder();
        String first = null;
        String last = null;
        for (JsonNode m : root.path("data")) {
            String id = m.path("id").asText(null);
            if (id == null) {
                continue;
            }
            String entry = "{\"type\":\"model\",\"id\":" + q(id) + ",\"display_name\":" + q(id) + ",\"created_at\":"
                    + q(Instant.ofEpochSecond(Math.max(0, m.path("created").asLong(0))).toString()) + "}";
            if (id.equals(wanted)) {
                return Buffer.buffer(entry);
            }
            data.append(first == null ? "" : ",").append(entry);
            first = first == null ? id : first;
            last = id;
        }
        if (wanted != null) {
            status = 404;
            errorType = "not_found_error";
            return Buffer.buffer(ErrorBody.json("not_found_error", "model: " + wanted + " is not served by this upstream", null));
        }
        return Buffer.buffer(("{\"data\":[" + data + "],\"has_more\":false,\"first_id\":" + (first == null ? "null" : q(first))
                + ",\"last_id\":" + (last == null ? "null" : q(last)) + "}").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int clientStatus(int upstreamStatus) {
        return status == 0 ? upstreamStatus : status;
    }

    private static String q(String s) {
        return "\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }

    @Override
    public UsageReport report() {
        return this;
    }

    @Override
    public Usage usage() {
        return Usage.ZERO;
    }

    @Override
    public boolean estimated() {
        return false;
    }

    @Override
    public String servedModel() {
        return null;
    }

    @Override
    public String errorType() {
        return errorType;
    }

    @Override
    public boolean complete() {
        return true;
    }
}
