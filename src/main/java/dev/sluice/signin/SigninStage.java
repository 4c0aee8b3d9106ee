package dev.sluice.signin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.pipeline.Attempt;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Identity;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.Response;
import dev.sluice.pipeline.Stage;
import dev.sluice.route.Router;
import dev.sluice.signin.billing.BillingGroup;
import dev.sluice.signin.policy.ModelCatalog;
import dev.sluice.signin.policy.ModelPolicy;
import dev.sluice.signin.usage.SignedInUsage;
import dev.sluice.signin.usage.StandingSource;
import dev.sluice.signin.usage.UsageHeaders;
import dev.sluice.signin.usage.UsageStanding;
import dev.sluice.wire.ApiError;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What sign-in adds to a model request, after inspection:
 * <ul>
 *   <li>the model allow/deny lists: a denied model is a 400 {@code invalid_request_error} naming it,
 *       before anything is forwarded; {@code GET /v1/models} lists only what the caller may use (from
 *       the configured catalog, answered here, or the upstream's list, filtered on the way back);</li>
 *   <li>the billing group: recorded as the {@code billing_group} identity tag when the developer's
 *       groups list it, and a signed-in developer's {@code tags} (with its beta value) taken out of the
 *       request before any upstream, as the token's {@code billing_group_tag} claim promised; any
 *       caller's, before an upstream whose API rejects them;</li>
 *   <li>for a caller with a cap, the usage-limit headers on the response or the 429 at the line, from
 *       a {@link StandingSource} (the budgets engine; swappable while running).</li>
 * </ul>
 */
public final class SigninStage implements Stage {
    private static final Exchange.Key<UsageStanding> STANDING = new Exchange.Key<>("signin-standing", UsageStanding.class);
    private static final Exchange.Key<Boolean> TAGS_GONE = new Exchange.Key<>("signin-tags-stripped", Boolean.class);
    private static final Exchange.Key<Boolean> FILTER_MODELS = new Exchange.Key<>("signin-filter-models", Boolean.class);
    private static final String MODELS_PREFIX = "/v1/models/";

    private final ModelPolicy policy;
    private final ModelCatalog catalog;
    private final BillingGroup billing;
    private final Function<String, List<String>> groupsOf;
    private final Supplier<StandingSource> standings;
    private final Clock clock;
    private final String increaseHint;

    /**
     * @param billing  reads the billing group when the request carries no configuration snapshot (tests); a
     *                 request's own snapshot names the tag otherwise, so reloads apply
     * @param groupsOf a developer's IdP groups by user id
     */
    public SigninStage(ModelPolicy policy, ModelCatalog catalog, BillingGroup billing, Function<String, List<String>> groupsOf,
                       Supplier<StandingSource> standings, Clock clock, String increaseHint) {
        this.policy = policy;
        this.catalog = catalog;
        this.billing = billing;
        this.groupsOf = groupsOf;
        this.standings = standings;
        this.clock = clock;
        this.increaseHint = increaseHint;
    }

    @Override
    public String name() {
        return "signin";
    }

    @Override
    public Future<Void> onRequest(Exchange ex) {
        if (ex.operation() == Operation.MODELS) {
            models(ex);
            return CONTINUE;
        }
        Identity who = ex.identity();
        String model = ex.facts() == null ? null : ex.facts().model();
        if (model != null && !policy.allowed(who, model, resolve(ex, model))) {
            throw ModelPolicy.denied(model);
        }
        boolean signedIn = SignedInUsage.signedIn(who);
        if (signedIn) {
            billingGroup(ex, who);
        }
        if (ex.operation() != Operation.MESSAGES || who == null || who.isOpen()) {
            return CONTINUE;
        }
        UsageStanding s = standings.get().standing(who);
        if (s == null) {
            return CONTINUE;
        }
        if (s.reached()) {
            throw UsageHeaders.rejected(s, clock.instant(), increaseHint);
        }
        ex.put(STANDING, s);
        return CONTINUE;
    }

    /** Before each attempt: an upstream whose API rejects request tags never sees them, whoever sent them. */
    @Override
    public void onAttempt(Exchange ex, Attempt attempt) {
        if (attempt.target() != null && BillingGroup.REJECTING.contains(attempt.target().provider())) {
            stripTags(ex);
        }
    }

    @Override
    public void onResponse(Exchange ex) {
        if (ex.get(FILTER_MODELS) != null && ex.status() == 200 && ex.responseBody() != null) {
            filterModels(ex);
            return;
        }
        if (ex.get(STANDING) == null || ex.status() / 100 != 2) {
            return;
        }
        UsageStanding now = standings.get().standing(ex.identity());
        if (now != null && !now.fetchError()) {
            UsageHeaders.served(now).forEach((k, v) -> ex.responseHeaders().set(k, v));
        }
    }

    /** The model id an alias of {@code routing.models} stands for (routing resolves it after this stage). */
    private static String resolve(Exchange ex, String model) {
        return ex.snapshot() == null ? model : ex.snapshot().get(Router.PART).resolve(model);
    }

    /**
     * The only billing group a signed-in developer's request carries is one their IdP groups list: the body's
     * (request tags) when they are in it, else a {@code billing_group} tag they already carry only if they are in
     * that group too. Anything else (an {@code x-sluice-tag-billing_group} header, an operator's tag naming a
     * group they left) is dropped, so spend is never recorded against a group they are not entitled to.
     */
    private void billingGroup(Exchange ex, Identity who) {
        BillingGroup reader = billingReader(ex);
        String group = reader == null || !BillingGroup.present(ex.facts()) ? null : reader.group(ex.body(), ex.facts());
        List<String> groups = groupsOf.apply(who.userId());
        String claimed = who.tags().get(BillingGroup.TAG);
        if (BillingGroup.accepted(group, groups)) {
            if (!group.equals(claimed)) {
                ex.identity(who.withTags(Map.of(BillingGroup.TAG, group)));
            }
        } else if (claimed != null && !BillingGroup.accepted(claimed, groups)) {
            ex.identity(BillingGroup.withoutGroup(who));
        }
        if (BillingGroup.present(ex.facts())) {
            stripTags(ex);
        }
    }

    /** The tag name from the configuration this request runs under, so a reload that sets or changes it applies at once. */
    private BillingGroup billingReader(Exchange ex) {
        if (ex.snapshot() == null) {
            return billing;
        }
        String tag = ex.snapshot().config().signin().billingGroupTag();
        if (tag == null) {
            return null;
        }
        return billing != null && billing.tagName().equals(tag) ? billing : new BillingGroup(tag);
    }

    private static void stripTags(Exchange ex) {
        if (ex.get(TAGS_GONE) != null || ex.body() == null || !BillingGroup.present(ex.facts())) {
            return;
        }
        BillingGroup.strip(ex.body(), ex.facts());
        ex.put(TAGS_GONE, Boolean.TRUE);
        // The beta value goes with the field. The request's own headers are what providers copy upstream;
        // an exchange-level header edit would be the cleaner seam (see the sign-in report).
        MultiMap headers = ex.request().headers();
        String beta = headers.get("anthropic-beta");
        if (beta != null) {
            String rest = BillingGroup.withoutBeta(beta);
            if (rest == null) {
                headers.remove("anthropic-beta");
            } else {
                headers.set("anthropic-beta", rest);
            }
        }
    }

    /** The catalog answers here; without one the upstream's list is filtered on the way back. */
    private void models(Exchange ex) {
        String path = ex.request().path();
        int at = path.indexOf(MODELS_PREFIX); // after a door's prefix too: /openai/v1/models/{id}
        String id = at >= 0 && path.length() > at + MODELS_PREFIX.length()
                ? modelId(path.substring(at + MODELS_PREFIX.length())) : null;
        if (id != null && !policy.allowed(ex.identity(), id)) {
            throw ApiError.notFound("model: " + dev.sluice.respond.Replies.bounded(id));
        }
        if (!catalog.configured()) {
            if (id == null) {
                ex.put(FILTER_MODELS, Boolean.TRUE);
            }
            return;
        }
        ObjectNode body = id == null ? catalog.list(ex.identity()) : catalog.one(ex.identity(), id);
        if (body == null) {
            throw ApiError.notFound("model: " + dev.sluice.respond.Replies.bounded(id));
        }
        ex.answer(new Response.Whole(200, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer(body.toString())));
    }

    private static String modelId(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiError.notFound("model: " + dev.sluice.respond.Replies.bounded(raw));
        }
    }

    private void filterModels(Exchange ex) {
        try {
            ObjectNode filtered = catalog.filter(ex.identity(), dev.sluice.wire.Json.MAPPER.readTree(ex.responseBody().getBytes()));
            if (filtered != null) {
                ex.responseBody(Buffer.buffer(filtered.toString()));
            }
        } catch (java.io.IOException e) {
            // not JSON: the upstream's answer goes as it came (it lists nothing a policy could hide)
        }
    }
}
