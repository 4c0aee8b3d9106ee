package dev.sluice.route;

import dev.sluice.pipeline.Attempt;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.Response;
import dev.sluice.pipeline.Stage;
import dev.sluice.upstream.UpstreamKey;
import dev.sluice.upstream.Upstreams;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.SseEvent;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * Route: resolves a model alias, applies the caller's allow-list (a denied model is a 400 naming it,
 * before anything is forwarded), answers {@code GET /v1/models} from the catalog when there is one,
 * finds the first rule that applies and hands the attempt loop a {@link RoutePlan} for it.
 *
 * <p>Its attempt hooks feed what routing learns back into {@link RoutingState}: keys' in-flight
 * counts, each upstream's health (passive: outcomes and time to first byte), and where a
 * conversation was served, and which upstream and key answered a {@code thread} request, so its continue goes back
 * there ({@link ThreadHomes}). It also says on the response which rule routed the request
 * ({@code x-sluice-route}), which upstream and key answered ({@code x-sluice-served-by}) and how each
 * attempt went ({@code x-sluice-tried}); {@code x-sluice-attempts} is settle's.
 */
public final class RouteStage implements Stage {
    /** The request's {@code thread}, when it has one: its answer's id is noted as the thread's home. */
    private static final Exchange.Key<ThreadRequest> THREAD = new Exchange.Key<>("route-thread", ThreadRequest.class);

    /** How much of a whole answer is read for its id. */
    private static final int ANSWER_HEAD_BYTES = 16 * 1024;

    private final RoutingState state;

    public RouteStage(RoutingState state) {
        this.state = state;
    }

    @Override
    public String name() {
        return "route";
    }

    @Override
    public Future<Void> onRequest(Exchange ex) {
        Router router = ex.snapshot().get(Router.PART);
        if (ex.operation() == Operation.MODELS && router.catalog().present()) {
            ex.answer(ModelsReply.answer(ex, router));
            return CONTINUE;
        }
        String requested = ex.facts().model();
        String model = router.catalog().resolve(requested);
        if (requested != null) {
            String denial = router.access().denial(ex.identity(), requested, model);
            if (denial != null) {
                throw ApiError.invalidRequest(denial);
            }
        }
        RequestTraits traits = RequestTraits.of(ex, model, state.budget(), state.now());
        Rule rule = router.match(traits);
        if (rule == null) {
            throw ApiError.notFound("model: no route for '" + requested + "' on this gateway");
        }
        ThreadRequest thread = ThreadRequest.of(ex);
        StickyTable.Spot home = null;
        if (thread != null) {
            ex.put(THREAD, thread);
            if (thread.continues()) {
                home = state.threads().get(owner(ex), thread.previousMessageId());
                if (home == null) {
                    throw notFound(thread);
                }
            }
        }
        ex.plan(new RoutePlan(rule, state, ex.snapshot().get(Upstreams.PART), ex.snapshot().config().routing().health(), traits,
                thread, home));
        ex.responseHeaders().set("x-sluice-route", rule.name());
        return CONTINUE;
    }

    @Override
    public void onAttempt(Exchange ex, Attempt a) {
        String alias = a.upstreamKeyAlias();
        if (alias != null && !UpstreamKey.CALLER.alias().equals(alias)) {
            state.keys().of(a.target().upstream(), alias).started();
        }
    }

    @Override
    public void onAttemptEnd(Exchange ex, Attempt a) {
        String alias = a.upstreamKeyAlias();
        if (alias != null && !UpstreamKey.CALLER.alias().equals(alias)) {
            state.keys().of(a.target().upstream(), alias).ended();
        }
        if (!a.neverSent()) { // our own refusal to make the call says nothing about the upstream's health
            state.health().of(a.target().upstream()).record(ex.snapshot().config().routing().health(), Outcomes.of(a, ex.facts().stream()),
                    a.ttfbMillis(), state.now());
        }
        RoutePlan plan = ex.plan() == null ? null : ex.plan().as(RoutePlan.class);
        if (plan != null) {
            plan.ended(a);
        }
        ex.responseHeaders().set("x-sluice-tried", Outcomes.tried(ex));
    }

    @Override
    public void onResponse(Exchange ex) {
        Attempt last = ex.lastAttempt();
        if (last == null) {
            return;
        }
        MultiMap h = ex.responseHeaders();
        h.set("x-sluice-tried", Outcomes.tried(ex));
        if (last.committed()) {
            h.set("x-sluice-served-by", Outcomes.spot(last));
            Buffer body = ex.responseBody();
            if (ex.get(THREAD) != null && !ex.streaming() && body != null && ex.status() >= 200 && ex.status() < 300) {
                // The id leads Anthropic's message object: the head is enough, and a large answer is not copied whole.
                byte[] head = body.getBytes(0, Math.min(body.length(), ANSWER_HEAD_BYTES));
                threadAnswered(ex, last, AnswerId.ofMessage(head, 0, head.length));
            }
        }
    }

    /** A streamed answer to a thread request names its id in {@code message_start}, before the client has it. */
    @Override
    public SseEvent onEvent(Exchange ex, SseEvent event) {
        if (event.type().equals("message_start") && ex.get(THREAD) != null) {
            Attempt last = ex.lastAttempt();
            if (last != null) {
                threadAnswered(ex, last, AnswerId.ofMessageStart(event.raw(), event.dataStart(), event.dataLength()));
            }
        }
        return event;
    }

    private void threadAnswered(Exchange ex, Attempt served, String answerId) {
        if (answerId == null) {
            return;
        }
        state.threads().served(owner(ex), answerId, new StickyTable.Spot(served.target().upstream(), served.upstreamKeyAlias()));
        ThreadRequest thread = ex.get(THREAD);
        if (thread.continues()) {
            state.threads().continued(owner(ex), thread.previousMessageId());
        }
    }

    /** Whose threads a request may continue: its gateway key's (every key on an upstream shares the account that holds them). */
    private static String owner(Exchange ex) {
        return ex.identity() == null ? null : ex.identity().keyId();
    }

    /**
     * A continue of an answer not served to this key here: another key's (the upstream would hand it that caller's
     * conversation), a guessed id, or one this replica does not know (another replica's, from before a restart, or
     * forgotten). Refused as the API refuses a thread it does not hold, before anything is sent; the SDK then replays
     * the whole conversation under a new thread, which any replica serves.
     */
    private static ApiError notFound(ThreadRequest thread) {
        return new ApiError(404, "not_found_error", "thread: " + thread.previousMessageId() + " is not an answer this gateway"
                + " served to this key (or it was forgotten: another replica's, from before a restart, or idle too long); send"
                + " the whole conversation under a new thread", false, null, "{\"error_code\":\"thread_not_found\"}");
    }

    /** {@code GET /v1/models[/{id}]} answered from the catalog. */
    private static final class ModelsReply {
        private static final String PATH = "/v1/models";

        static Response answer(Exchange ex, Router router) {
            String path = ex.request().path();
            if (path.length() > PATH.length() + 1 && path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            var who = ex.identity();
            java.util.function.Predicate<String> allowed = id -> router.access().allows(who, id);
            // A door that lists models elsewhere (Bedrock's /bedrock/inference-profiles) asks for the list.
            Object json = path.length() <= PATH.length() + 1 || !path.contains(PATH + "/")
                    ? router.catalog().page(ex.request().getParam("limit"), ex.request().getParam("after_id"),
                            ex.request().getParam("before_id"), allowed)
                    : router.catalog().one(path.substring(PATH.length() + 1), allowed);
            return new Response.Whole(200, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer(json.toString()));
        }
    }
}
