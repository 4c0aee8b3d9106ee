package dev.sluice.front;

import dev.sluice.pipeline.Exchange;
import dev.sluice.respond.ClientResponder;
import dev.sluice.respond.Replies;
import dev.sluice.wire.ApiError;
import io.vertx.core.Context;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A graceful stop, shared by every front server of a gateway. Once {@link #begin} is called:
 * <ol>
 *   <li>every new API request is refused with {@link #REFUSAL} (a 503 {@code overloaded_error} with
 *       {@code x-should-retry: true} and {@code retry-after}, in its door's envelope), {@code /readyz} says
 *       {@code draining}, and every response asks for its connection to close;</li>
 *   <li>kept-alive connections with no request on them are closed at once, the others as soon as their
 *       response has ended;</li>
 *   <li>the exchanges already admitted run on: {@link #idle} completes when the last one is over (its
 *       completion hooks, so its ledger records, included);</li>
 *   <li>{@link #cut} ends those still running when the grace is over: a stream with an {@code event: error},
 *       anything not yet answered with the refusal, on each exchange's own event loop.</li>
 * </ol>
 * The listener stays open during the drain: a balancer's endpoint update lags the stop by a few seconds,
 * and a request it still sends gets an answer its SDK retries (elsewhere), where a closed port gives
 * some clients an error they show the developer; the readiness probe, too, keeps getting an answer.
 *
 * <p>Admission and the start of the drain race on different threads; {@link #admit} adds the exchange
 * before it reads the flag and {@link #begin} sets the flag before it counts, so an exchange is either
 * refused or waited for, never lost between the two.
 */
public final class Drain {
    /** What a request that arrives during the drain gets (and one not yet answered when the grace ends). */
    public static final ApiError REFUSAL = new ApiError(503, "overloaded_error",
            "The gateway is restarting and takes no new requests; retry (another replica, or this one once it is back)",
            true, Map.of("retry-after", "1"));
    /** How a stream still running when the grace ends is ended: an error its client may retry. */
    public static final ApiError CUT = new ApiError(529, "overloaded_error",
            "The gateway restarted before this answer was complete; retry the request", true, null);

    private final Map<Exchange, Context> inFlight = new ConcurrentHashMap<>();
    private final Set<ConnectionGuard> connections = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> idle = new CompletableFuture<>();
    private volatile boolean draining;

    /** True once the stop has begun. */
    public boolean draining() {
        return draining;
    }

    /** Exchanges admitted and not yet over. */
    public int inFlight() {
        return inFlight.size();
    }

    /** Takes an exchange in on the current event loop; false (it is not taken) when the drain has begun. */
    boolean admit(Exchange ex, Context context) {
        inFlight.put(ex, context);
        if (draining) {
            inFlight.remove(ex);
            return false;
        }
        return true;
    }

    /** The exchange is over, its completion hooks included. */
    void done(Exchange ex) {
        inFlight.remove(ex);
        if (draining && inFlight.isEmpty()) {
            idle.complete(null);
        }
    }

    void watch(ConnectionGuard guard) {
        connections.add(guard);
    }

    void forget(ConnectionGuard guard) {
        connections.remove(guard);
    }

    /** Starts the drain; the future completes when no admitted exchange is left. Calling it again changes nothing. */
    public CompletableFuture<Void> begin() {
        draining = true;
        for (ConnectionGuard guard : connections) {
            guard.drain();
        }
        if (inFlight.isEmpty()) {
            idle.complete(null);
        }
        return idle;
    }

    /** Completes when no admitted exchange is left after {@link #begin}. */
    public CompletableFuture<Void> idle() {
        return idle;
    }

    /** Ends every exchange still running (see the class comment); returns how many there were. */
    public int cut() {
        int n = 0;
        for (Map.Entry<Exchange, Context> e : inFlight.entrySet()) {
            Exchange ex = e.getKey();
            e.getValue().runOnContext(v -> cut(ex));
            n++;
        }
        return n;
    }

    /** On the exchange's own event loop. */
    private static void cut(Exchange ex) {
        if (ClientResponder.cut(ex, CUT)) {
            return;
        }
        // Not streaming yet (its body being read, its upstream not answered): the client gets the refusal, which
        // its SDK retries, and the connection closes. The attempt under way is ended when the gateway's upstream
        // connections close, so it still gets its one ledger record; marked gone first, so nothing retries it.
        ex.markClientGone();
        if (!ex.response().headWritten() && !ex.response().ended() && !ex.response().closed()) {
            ex.errorType(REFUSAL.type());
            Replies.closeAfter(ex.request());
            Replies.send(ex.response(), ex.protocol(), REFUSAL, ex.requestId(), ex.gatewayMillis());
        }
    }
}
