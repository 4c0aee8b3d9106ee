package dev.sluice.signin;

import dev.sluice.pipeline.AttemptPlan;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Stage;
import dev.sluice.pipeline.Target;
import dev.sluice.signin.policy.ModelPolicy;
import io.vertx.core.Future;

/**
 * The sign-in model policy held against what routing will actually send upstream. {@link SigninStage}
 * judges the requested name (and its catalog alias) before routing; a route's {@code model:} rewrite,
 * or a fallback target with a model of its own, can still map an allowed name onto a denied model
 * ({@code best -> claude-opus-4-6}). This stage goes right after the route stage and refuses the
 * request when any target of its plan, the fallbacks included, serves a model the caller may not use:
 * the whole plan is checked, so a denied model is never reached on failover either.
 */
public final class ServedModelCheck implements Stage {
    private final ModelPolicy policy;

    ServedModelCheck(ModelPolicy policy) {
        this.policy = policy;
    }

    @Override
    public String name() {
        return "signin-served-model";
    }

    @Override
    public Future<Void> onRequest(Exchange ex) {
        AttemptPlan plan = ex.plan();
        String requested = ex.facts() == null ? null : ex.facts().model();
        if (plan == null || requested == null) {
            return CONTINUE;
        }
        for (Target t : plan.targets()) {
            if (t.servedModel() != null && !policy.allowed(ex.identity(), t.servedModel())) {
                throw ModelPolicy.denied(requested);
            }
        }
        return CONTINUE;
    }
}
