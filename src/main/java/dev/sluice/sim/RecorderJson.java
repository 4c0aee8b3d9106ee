package dev.sluice.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** JSON views of a {@link SimRecorder}, served at {@code /_sim/requests} and {@code /_sim/usage}. */
final class RecorderJson {

    private RecorderJson() {
    }

    /** {@code [{at, method, uri, upstream_key, headers: [[name, value], ...], body}]}; body decoded as UTF-8. */
    static ArrayNode requests(SimRecorder recorder) {
        ArrayNode list = SimJson.array();
        for (ReceivedRequest request : recorder.received()) {
            ObjectNode node = list.addObject()
                    .put("at", request.at().toString())
                    .put("method", request.method())
                    .put("uri", request.uri())
                    .put("upstream_key", request.upstreamKey());
            ArrayNode headers = node.putArray("headers");
            for (Map.Entry<String, String> header : request.headers()) {
                headers.addArray().add(header.getKey()).add(header.getValue());
            }
            node.put("body", request.bodyText());
        }
        return list;
    }

    /** {@code {totals: {...}, billed: [{...}]}} with the API's snake_case usage names. */
    static ObjectNode usage(SimRecorder recorder) {
        ObjectNode root = SimJson.object();
        UsageTotals totals = recorder.totals();
        root.putObject("totals")
                .put("requests", totals.requests())
                .put("rejected", totals.rejected())
                .put("cut", totals.cut())
                .put("input_tokens", totals.inputTokens())
                .put("output_tokens", totals.outputTokens())
                .put("cache_creation_input_tokens", totals.cacheCreationInputTokens())
                .put("cache_read_input_tokens", totals.cacheReadInputTokens())
                .put("ephemeral_5m_input_tokens", totals.ephemeral5mInputTokens())
                .put("ephemeral_1h_input_tokens", totals.ephemeral1hInputTokens());
        ArrayNode billed = root.putArray("billed");
        for (BilledUsage usage : recorder.billed()) {
            billed.addObject()
                    .put("id", usage.messageId())
                    .put("request_id", usage.requestId())
                    .put("upstream_key", usage.upstreamKey())
                    .put("model", usage.model())
                    .put("stream", usage.stream())
                    .put("status", usage.status())
                    .put("outcome", usage.outcome().name().toLowerCase(java.util.Locale.ROOT))
                    .put("cut", usage.cut())
                    .put("input_tokens", usage.inputTokens())
                    .put("output_tokens", usage.outputTokens())
                    .put("cache_creation_input_tokens", usage.cacheCreationInputTokens())
                    .put("cache_read_input_tokens", usage.cacheReadInputTokens())
                    .put("ephemeral_5m_input_tokens", usage.ephemeral5mInputTokens())
                    .put("ephemeral_1h_input_tokens", usage.ephemeral1hInputTokens());
        }
        return root;
    }
}
