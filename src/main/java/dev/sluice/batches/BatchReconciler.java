package dev.sluice.batches;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.config.LiveConfig;
import dev.sluice.wire.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles the creates that never learned their batch's id. A create's row is written before the upstream is asked
 * ({@code pending:<request id>}); a gateway killed between the upstream's answer and naming the row, a connection cut
 * after the upstream accepted, or a database out of reach at that moment leaves the row pending, while the upstream may
 * run (and bill) the batch. Once a pending row is older than any create could take, this asks the upstream key for its
 * batches around the row's time and adopts the one not known to the gateway with the row's number of requests, created
 * within {@link #BEFORE} before and {@link #AFTER} after it (the nearest, when several); it is then billed like any other.
 * With none, nothing was created: the row goes and its budget holds are given back.
 *
 * <p>A batch made with the same upstream key outside the gateway, with as many requests, in the same minutes as a lost
 * create, would be taken for it; the log names every adoption so an operator can check.
 */
final class BatchReconciler {
    private static final Logger LOG = LoggerFactory.getLogger(BatchReconciler.class);
    /** How old a pending row must be before it is settled (milliseconds; a system property, for tests). */
    static final String AGE_PROPERTY = "sluice.batches.pending-age-ms";
    /** Far longer than a create takes: the upstream's answer to one is a batch object, whatever the batch's size. */
    static final long DEFAULT_AGE_MILLIS = Duration.ofMinutes(10).toMillis();
    static final Duration BEFORE = Duration.ofMinutes(5);
    static final Duration AFTER = Duration.ofMinutes(15);
    private static final int MAX_PAGES = 20;

    private final Vertx vertx;
    private final LiveConfig live;
    private final BatchCalls calls;
    final long ageMillis;

    BatchReconciler(Vertx vertx, LiveConfig live, BatchCalls calls, long ageMillis) {
        this.vertx = vertx;
        this.live = live;
        this.calls = calls;
        this.ageMillis = ageMillis;
    }

    Future<Void> settle(BatchRow row) {
        Instant at = Instant.ofEpochMilli(row.createdMs());
        return search(row, at, null, 0, null).compose(found -> {
            if (found == null) {
                LOG.info("batch create {}: the upstream '{}' has no batch of it; nothing to bill", row.id(), row.upstream());
                return calls.dropped(row);
            }
            LOG.warn("batch create {} ({} requests, caller key {}): its answer was lost; adopting upstream '{}' batch {}"
                    + " created at {}, the one of that size nearest its time", row.id(), row.requests(), row.owner().keyId(),
                    row.upstream(), found.id, found.createdAt);
            return vertx.executeBlocking(() -> calls.store.named(row.id(), found.id), false).mapEmpty();
        });
    }

    /** A batch the upstream made around {@code at}; null when none matches. Pages newest first until before the window. */
    private Future<Candidate> search(BatchRow row, Instant at, String afterId, int page, Candidate best) {
        String query = "?limit=100" + (afterId == null ? "" : "&after_id=" + afterId);
        return BatchCalls.answer(calls.upstream.send(live.current(), row.upstream(), row.keyAlias(), HttpMethod.GET,
                BatchesEndpoint.PATH + query, null, null)).compose(a -> {
                    if (!a.ok()) {
                        return Future.failedFuture("listing the upstream's batches: status " + a.status());
                    }
                    JsonNode list;
                    try {
                        list = Json.MAPPER.readTree(a.body().getBytes());
                    } catch (IOException e) {
                        return Future.failedFuture("listing the upstream's batches: not JSON");
                    }
                    return vertx.executeBlocking(() -> pick(row, at, list.path("data"), best), false).compose(picked -> {
                        JsonNode data = list.path("data");
                        Instant oldest = data.isEmpty() ? null : time(data.get(data.size() - 1));
                        boolean more = list.path("has_more").asBoolean(false) && page + 1 < MAX_PAGES
                                && oldest != null && !oldest.isBefore(at.minus(BEFORE));
                        return more ? search(row, at, list.path("last_id").asText(null), page + 1, picked)
                                : Future.succeededFuture(picked);
                    });
                });
    }

    private Candidate pick(BatchRow row, Instant at, JsonNode data, Candidate best) throws java.sql.SQLException {
        for (JsonNode b : data) {
            Instant created = time(b);
            String id = b.path("id").asText("");
            if (created == null || !id.startsWith("msgbatch_") || created.isBefore(at.minus(BEFORE))
                    || created.isAfter(at.plus(AFTER)) || (row.requests() > 0 && requests(b) != row.requests())) {
                continue;
            }
            long distance = Math.abs(Duration.between(at, created).toMillis());
            if ((best == null || distance < best.distance) && !calls.store.known(id)) {
                best = new Candidate(id, created, distance);
            }
        }
        return best;
    }

    private static long requests(JsonNode batch) {
        long n = 0;
        for (JsonNode count : batch.path("request_counts")) {
            n += count.asLong(0);
        }
        return n;
    }

    private static Instant time(JsonNode batch) {
        try {
            return Instant.parse(batch.path("created_at").asText(""));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private record Candidate(String id, Instant createdAt, long distance) {
    }
}
