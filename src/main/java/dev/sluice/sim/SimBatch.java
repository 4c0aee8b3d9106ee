package dev.sluice.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One simulated Message Batch: its requests, when it ends, and its results once it has. Results are made when the
 * batch ends (the way the real service answers each request in the background), so every read of them gives the same
 * bytes: a gateway that reads them twice must see the same usage twice.
 *
 * <p>A request whose {@code custom_id} contains {@code fail} ends {@code errored} (no usage: the real API bills
 * nothing for it); a batch canceled before it ends has every result {@code canceled}.
 */
final class SimBatch {
    /** One request as created: its id, parsed params, and the output size the create call asked for. */
    record Request(String customId, MessagesRequest params, int outputTokens) {
    }

    final String id = Ids.batchId();
    final String upstreamKey;
    final Instant createdAt;
    private final Instant endsAt;
    private final List<Request> requests;
    private Instant cancelAt;
    private Instant endedAt;
    private List<ObjectNode> results;

    SimBatch(String upstreamKey, List<Request> requests, Instant now, long processingMillis) {
        this.upstreamKey = upstreamKey;
        this.requests = List.copyOf(requests);
        this.createdAt = now;
        this.endsAt = now.plusMillis(processingMillis);
    }

    /** Ends the batch once its time has come (or at once after a cancel), making its results. */
    synchronized void advance(Instant now) {
        if (endedAt != null) {
            return;
        }
        if (cancelAt != null || !now.isBefore(endsAt)) {
            endedAt = now;
            results = new ArrayList<>(requests.size());
            for (Request r : requests) {
                results.add(result(r, cancelAt != null));
            }
        }
    }

    synchronized void cancel(Instant now) {
        if (endedAt == null && cancelAt == null) {
            cancelAt = now;
        }
    }

    synchronized boolean ended() {
        return endedAt != null;
    }

    /** The results, one JSON line each, in request order; null before the batch ends. */
    synchronized List<ObjectNode> results() {
        return results;
    }

    /** The batch object of the API, {@code resultsBase} the URL its {@code results_url} is made from. */
    synchronized ObjectNode json(String resultsBase) {
        ObjectNode b = SimJson.object().put("id", id).put("type", "message_batch")
                .put("processing_status", endedAt != null ? "ended" : cancelAt != null ? "canceling" : "in_progress");
        ObjectNode counts = b.putObject("request_counts");
        String[] kinds = {"processing", "succeeded", "errored", "canceled", "expired"};
        for (String k : kinds) {
            counts.put(k, 0);
        }
        if (results == null) {
            counts.put("processing", requests.size());
        } else {
            for (ObjectNode r : results) {
                String type = r.path("result").path("type").asText();
                counts.put(type, counts.path(type).asInt() + 1);
            }
        }
        b.put("created_at", createdAt.toString()).put("expires_at", createdAt.plusSeconds(86_400).toString());
        putTime(b, "ended_at", endedAt);
        b.putNull("archived_at");
        putTime(b, "cancel_initiated_at", cancelAt);
        if (endedAt != null) {
            b.put("results_url", resultsBase + "/v1/messages/batches/" + id + "/results");
        } else {
            b.putNull("results_url");
        }
        return b;
    }

    private static void putTime(ObjectNode b, String field, Instant t) {
        if (t == null) {
            b.putNull(field);
        } else {
            b.put(field, t.toString());
        }
    }

    private static ObjectNode result(Request r, boolean canceled) {
        ObjectNode line = SimJson.object().put("custom_id", r.customId());
        ObjectNode result = line.putObject("result");
        if (canceled) {
            result.put("type", "canceled");
        } else if (r.customId().contains("fail")) {
            result.put("type", "errored");
            result.set("error", MessageJson.error("invalid_request_error", "simulated failure of " + r.customId(), null));
        } else {
            MessagesRequest p = r.params();
            ReplyPlan plan = ReplyPlanner.plan(p, Math.min(r.outputTokens(), Math.max(1, p.maxTokens())), null);
            CacheUsage usage = CacheUsage.uncached(PromptLayout.of(p).totalTokens());
            result.put("type", "succeeded");
            result.set("message", MessageJson.message(Ids.messageId(), p.model(), plan, usage));
        }
        return line;
    }
}
