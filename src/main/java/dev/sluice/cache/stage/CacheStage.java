package dev.sluice.cache.stage;

import dev.sluice.cache.CacheCapture;
import dev.sluice.cache.CacheControls;
import dev.sluice.cache.CacheDecision;
import dev.sluice.cache.CacheRequest;
import dev.sluice.cache.CacheScope;
import dev.sluice.cache.HitSavings;
import dev.sluice.cache.ResponseCache;
import dev.sluice.cache.key.RequestKey;
import dev.sluice.cache.normalise.Normalisation;
import dev.sluice.cache.normalise.StreamRestorer;
import dev.sluice.pipeline.Attempt;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.pipeline.Response;
import dev.sluice.pipeline.Stage;
import dev.sluice.pipeline.Target;
import dev.sluice.record.CacheHitRecord;
import dev.sluice.settle.SettleStage;
import dev.sluice.wire.SseEvent;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cache: answers a request from the gateway's response cache, or lets it go upstream and keeps the answer.
 * It comes after budget (a caller past a hard cap is refused before it could be served, even for free) and
 * after record and settle, so their completion hooks still run for a hit: record writes the hit as ledger
 * attempt 0 ({@link CacheHitRecord}) and settle states {@code x-sluice-cache} on the response.
 *
 * <p>What the stages before it mean for a hit: route's plan picks the target, and the key includes it, so a hit
 * is an answer from where this request would have gone (after a budget degrade, the cheaper model's). The budget
 * admitted the request and reserved for it; with no attempt, that reservation settles at zero, and rate-limit
 * tokens are corrected to zero (the request itself still counts against requests per minute).
 *
 * <p>Both front doors are served. The OpenAI door translates a chat completion into a canonical Messages body at
 * inspection, so the key is made from that body, the entry holds canonical events or a canonical body, and the
 * responder encodes a hit for the client's protocol like any answer. An OpenAI client's entries are not an
 * Anthropic client's: the key includes {@code anthropic-version}, which only Anthropic clients send.
 *
 * <ol>
 *   <li>{@code onRequest}: the request's cache headers (a bad one is a 400), then one lookup under the policy
 *       of the requested model. A hit is answered through the responder like any other source (a replayed
 *       event stream or a JSON body) with {@code x-sluice-cache-age}; the saving is put on the exchange for the
 *       ledger, the audit line and metrics. A miss keeps the lookup's capture; prompt-cache help (prefix
 *       identities for routing, re-read statistics, the optional 1-hour TTL upgrade) applies to anything
 *       that goes upstream.</li>
 *   <li>{@code onEvent}: each event of the answer, as the client gets it, goes to the capture (a reference
 *       kept, nothing parsed, the client is not delayed).</li>
 *   <li>{@code onComplete}: a whole answer's body goes to the capture, which then checks, templates and stores
 *       on a worker thread; an error, a failed attempt or an answer from a fallback target is never stored.</li>
 * </ol>
 */
public final class CacheStage implements Stage {
    private static final Logger LOG = LoggerFactory.getLogger(CacheStage.class);
    private static final Exchange.Key<Pending> PENDING = new Exchange.Key<>("cache-capture", Pending.class);

    /** A miss whose answer may be stored: its capture and the target its key was made for. */
    private record Pending(CacheCapture capture, Target target) {
    }

    private final CacheService service;

    public CacheStage(CacheService service) {
        this.service = Objects.requireNonNull(service, "service");
    }

    @Override
    public String name() {
        return "cache";
    }

    @Override
    public Future<Void> onRequest(Exchange ex) {
        if (ex.operation() != Operation.MESSAGES || ex.body() == null || ex.identity() == null) {
            return CONTINUE;
        }
        CacheRules rules = ex.snapshot().get(CacheRules.PART);
        ResponseCache cache = service.cache();
        if (!rules.enabled() || cache == null) {
            return CONTINUE;
        }
        CacheRules.RoutePolicy route = rules.forModel(ex.facts().model());
        CacheControls controls = CacheControls.parse(ex.request().headers());
        Target target = ex.target();
        RequestBody body = ex.body();
        CacheRequest request = new CacheRequest(ex.identity(), route.policy(), controls, body.array(), body.length(),
                keyContext(ex, target), ex.facts().stream());
        return cache.lookup(request).map(decision -> {
            service.shapes().decided(ex, request, decision); // cache.capture: off unless configured
            decided(ex, route, decision, target);
            return null;
        });
    }

    /** What outside the body changes the answer: where it is served from, the betas and the API version. */
    static List<String> keyContext(Exchange ex, Target target) {
        TreeSet<String> betas = new TreeSet<>();
        for (String header : ex.request().headers().getAll("anthropic-beta")) {
            for (String beta : header.split(",")) {
                if (!beta.isBlank()) {
                    betas.add(beta.trim());
                }
            }
        }
        String version = ex.request().getHeader("anthropic-version");
        String served = target == null ? "-" : target.upstream() + "/" + target.servedModel();
        return List.of("target=" + served, "anthropic-beta=" + String.join(",", betas),
                "anthropic-version=" + (version == null ? "" : version.trim()));
    }

    private void decided(Exchange ex, CacheRules.RoutePolicy route, CacheDecision decision, Target target) {
        ex.cacheStatus(decision.status());
        SemanticService semantic = service.semantic();
        if (semantic != null) {
            semantic.signals().decided(ex, decision);
        }
        switch (decision) {
            case CacheDecision.Hit hit -> answer(ex, hit);
            case CacheDecision.Miss miss -> {
                if (miss.capture() != null) {
                    ex.put(PENDING, new Pending(miss.capture(), target));
                }
                normalise(ex, route, miss.key());
                PromptHelp.apply(service, ex, route, miss.key(), true);
            }
            case CacheDecision.Bypass bypass -> {
                normalise(ex, route, bypass.key());
                PromptHelp.apply(service, ex, route, bypass.key(), false);
            }
        }
    }

    /** On a {@code normalise-upstream} route, what goes upstream carries the team's stand-ins (a hit goes nowhere). */
    private void normalise(Exchange ex, CacheRules.RoutePolicy route, RequestKey key) {
        if (route.normaliseUpstream()) {
            Normalisation.apply(ex, key, service.normalised());
        }
    }

    private static void answer(Exchange ex, CacheDecision.Hit hit) {
        HitSavings saved = hit.savings(ex.snapshot().get(SettleStage.METER));
        ex.gatewaySavingsNanoUsd(saved.nanoUsd());
        ex.put(CacheHitRecord.KEY, new CacheHitRecord(saved.model(), saved.tokens(), saved.nanoUsd()));
        ex.responseHeaders().set("x-sluice-cache-age", Long.toString(hit.ageMillis() / 1000));
        // Who served it, as the hit's ledger record says: no provider, the gateway's cache, and the stored answer's model.
        ex.responseHeaders().set("x-sluice-provider", CacheHitRecord.PROVIDER);
        if (saved.model() != null) {
            ex.responseHeaders().set("x-sluice-model", saved.model());
        }
        if (!hit.status().equals("hit")) {
            ex.responseHeaders().set("x-sluice-cache-similarity", String.format(java.util.Locale.ROOT, "%.4f", hit.similarity()));
        }
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        ex.answer(hit.events() != null
                ? new Response.Stream(200, headers, new ReplaySource(hit.events()))
                : new Response.Whole(200, headers, Buffer.buffer(hit.body())));
    }

    /**
     * The cache is the last stage to see events, so a normalised answer's stand-ins are mapped back here, and the
     * capture stores what the client gets: the developer's own values, which the templater expects.
     */
    @Override
    public SseEvent onEvent(Exchange ex, SseEvent event) {
        List<SseEvent> out = Normalisation.onEvent(ex, event);
        Pending p = ex.get(PENDING);
        for (SseEvent e : out) {
            service.shapes().onEvent(ex, e);
            if (p != null) {
                p.capture().onEvent(e);
            }
        }
        return out.size() == 1 ? out.getFirst() : StreamRestorer.joined(out);
    }

    /** Listed last, this runs first: a normalised whole answer gets the developer's values before anyone reads it. */
    @Override
    public void onResponse(Exchange ex) {
        Normalisation.onResponse(ex);
    }

    @Override
    public void onComplete(Exchange ex) {
        Pending p = ex.get(PENDING);
        if (p == null) {
            service.shapes().completed(ex, null);
            return;
        }
        CacheCapture capture = p.capture();
        Attempt served = ex.lastAttempt();
        if (ex.errorType() != null) {
            capture.abandon("error: " + ex.errorType());
        } else if (served == null || !served.committed()) {
            capture.abandon("no upstream answer");
        } else if (!served.target().equals(p.target())) {
            capture.abandon("answered by a fallback target " + served.target().upstream());
        } else if (!ex.streaming()) {
            Buffer body = ex.responseBody();
            if (body == null) {
                capture.abandon("no answer body");
            } else {
                capture.onBody(ex.status(), body.getBytes());
            }
        }
        service.storeStarted();
        capture.finish(ex.status()).onComplete(ar -> {
            service.storeEnded();
            service.shapes().completed(ex, ar.succeeded() ? ar.result() : null);
            if (ar.succeeded() && LOG.isDebugEnabled()) {
                LOG.debug("request {}: cache {} ({})", ex.requestId(), ar.result().stored() ? "stored" : "not stored",
                        ar.result().reason());
            }
        });
    }

    /** The org part of store keys for this exchange's caller. */
    static String org(Exchange ex) {
        return CacheScope.org(ex.identity());
    }
}
