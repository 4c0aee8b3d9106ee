package dev.sluice.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Anthropic's Message Batches API: create, retrieve, list, cancel, delete and results (JSONL), each batch visible only
 * to the upstream key that created it (as an account's batches are). A batch ends {@link SimHeaders#BATCH_MILLIS}
 * after it was created; its results are then fixed, so reading them twice gives the same usage twice.
 */
final class SimBatches {
    static final String PATH = "/v1/messages/batches";
    static final long DEFAULT_PROCESSING_MILLIS = 300;
    /** The API's own bound on requests per batch. */
    static final int MAX_REQUESTS = 100_000;
    /** Batches remembered at most, so a long test run cannot grow memory without end (oldest dropped first). */
    static final int MAX_BATCHES = 10_000;

    private final Map<String, SimBatch> batches = new ConcurrentHashMap<>();

    void handle(SimExchange exchange, SimDirectives directives) {
        HttpMethod method = exchange.request().method();
        String rest = exchange.request().path().substring(PATH.length());
        if (rest.isEmpty() || rest.equals("/")) {
            if (method == HttpMethod.POST) {
                create(exchange, directives);
            } else if (method == HttpMethod.GET) {
                list(exchange);
            } else {
                throw ApiException.notFound("Not found: " + method + " " + PATH);
            }
            return;
        }
        String[] parts = rest.substring(1).split("/", -1);
        SimBatch batch = own(exchange, parts[0]);
        String action = parts.length == 1 ? "" : parts[1];
        Instant now = Instant.now();
        batch.advance(now);
        if (method == HttpMethod.GET && action.isEmpty()) {
            exchange.sendJson(batch.json(base(exchange)));
        } else if (method == HttpMethod.POST && action.equals("cancel")) {
            batch.cancel(now);
            exchange.sendJson(batch.json(base(exchange)));
        } else if (method == HttpMethod.DELETE && action.isEmpty()) {
            if (!batch.ended()) {
                throw ApiException.invalidRequest("Message Batch " + batch.id + " is still in progress: cancel it first");
            }
            batches.remove(batch.id);
            exchange.sendJson(SimJson.object().put("id", batch.id).put("type", "message_batch_deleted"));
        } else if (method == HttpMethod.GET && action.equals("results")) {
            results(exchange, batch);
        } else {
            throw ApiException.notFound("Not found: " + method + " " + exchange.request().path());
        }
    }

    /** Another key's batch is as unknown as a made-up id. */
    private SimBatch own(SimExchange exchange, String id) {
        SimBatch b = batches.get(id);
        if (b == null || !b.upstreamKey.equals(exchange.upstreamKey())) {
            throw ApiException.notFound("Message Batch " + id + " not found");
        }
        return b;
    }

    private void create(SimExchange exchange, SimDirectives directives) {
        JsonNode root = MessagesRequest.readJson(exchange.body());
        JsonNode requests = root.path("requests");
        if (!requests.isArray() || requests.isEmpty() || requests.size() > MAX_REQUESTS) {
            throw ApiException.invalidRequest("requests: expected an array of 1 to " + MAX_REQUESTS + " requests");
        }
        String betas = exchange.request().getHeader("anthropic-beta");
        List<SimBatch.Request> parsed = new ArrayList<>(requests.size());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < requests.size(); i++) {
            JsonNode r = requests.get(i);
            String customId = r.path("custom_id").asText("");
            if (!customId.matches("[a-zA-Z0-9_-]{1,64}") || !ids.add(customId)) {
                throw ApiException.invalidRequest("requests." + i + ".custom_id: expected a unique id of 1 to 64 letters, digits, - or _");
            }
            MessagesRequest params = MessagesRequest.parse(SimJson.bytes(r.path("params")), true, betas);
            if (params.stream()) {
                throw ApiException.invalidRequest("requests." + i + ".params.stream: batches do not stream");
            }
            parsed.add(new SimBatch.Request(customId, params, directives.outputTokens()));
        }
        String millis = exchange.sim().providers().withStanding(exchange.request().headers()).get(SimHeaders.BATCH_MILLIS);
        long processing = millis == null ? DEFAULT_PROCESSING_MILLIS : Long.parseLong(millis.strip());
        if (batches.size() >= MAX_BATCHES) {
            batches.values().stream().min((a, b) -> a.createdAt.compareTo(b.createdAt)).ifPresent(b -> batches.remove(b.id));
        }
        SimBatch batch = new SimBatch(exchange.upstreamKey(), parsed, Instant.now(), processing);
        batches.put(batch.id, batch);
        exchange.sendJson(batch.json(base(exchange)));
    }

    /** The key's batches, newest first, paged by {@code after_id} (older) and {@code limit}. */
    private void list(SimExchange exchange) {
        String after = exchange.request().getParam("after_id");
        int limit = Math.clamp(Long.parseLong(exchange.request().params().get("limit") == null ? "20"
                : exchange.request().getParam("limit")), 1, 1000);
        List<SimBatch> mine = batches.values().stream().filter(b -> b.upstreamKey.equals(exchange.upstreamKey()))
                .sorted((a, b) -> b.createdAt.compareTo(a.createdAt)).toList();
        int from = 0;
        for (int i = 0; after != null && i < mine.size(); i++) {
            if (mine.get(i).id.equals(after)) {
                from = i + 1;
            }
        }
        ObjectNode page = SimJson.object();
        ArrayNode data = page.putArray("data");
        Instant now = Instant.now();
        List<SimBatch> slice = mine.subList(Math.min(from, mine.size()), Math.min(from + limit, mine.size()));
        slice.forEach(b -> {
            b.advance(now);
            data.add(b.json(base(exchange)));
        });
        page.put("has_more", from + limit < mine.size());
        page.put("first_id", slice.isEmpty() ? null : slice.getFirst().id);
        page.put("last_id", slice.isEmpty() ? null : slice.getLast().id);
        exchange.sendJson(page);
    }

    /** The results as JSON lines, written a line per chunk so a relay in between meets them as a stream. */
    private static void results(SimExchange exchange, SimBatch batch) {
        List<ObjectNode> lines = batch.results();
        if (lines == null) {
            throw ApiException.invalidRequest("Message Batch " + batch.id + " has not ended: no results yet");
        }
        exchange.putApiHeaders("application/binary");
        HttpServerResponse response = exchange.response().setStatusCode(200).setChunked(true);
        for (ObjectNode line : lines) {
            response.write(Buffer.buffer(SimJson.bytes(line)).appendByte((byte) '\n'));
        }
        response.end();
    }

    private static String base(SimExchange exchange) {
        var authority = exchange.request().authority();
        return exchange.request().scheme() + "://" + authority.host() + ":" + authority.port();
    }
}
