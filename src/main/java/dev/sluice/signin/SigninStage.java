package dev.sluice.signin;

import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Identity;
import dev.sluice.pipeline.Stage;
import dev.sluice.signin.policy.ModelPolicy;
import dev.sluice.signin.usage.StandingSource;
import dev.sluice.signin.usage.UsageHeaders;
import dev.sluice.signin.usage.UsageStanding;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * What sign-in adds to a model request, after inspection: the model allow/deny lists (a denied model
 * is a 400 {@code invalid_request_error} naming it, before anything is forwarded), and for a caller
 * with a cap, the usage-limit headers on the response or the 429 at the line. The standing comes from
 * a {@link StandingSource} (the budgets engine; swappable while running).
 */
public final class SigninStage implements Stage {
    private static final Exchange.Key<UsageStanding> STANDING = new Exchange.Key<>("signin-standing", UsageStanding.class);

    private final ModelPolicy policy;
    private final Supplier<StandingSource> standings;
    private final Clock clock;
    private final String increaseHint;

    public SigninStage(ModelPolicy policy, Supplier<StandingSource> standings, Clock clock, String increaseHint) {
        this.policy = policy;
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
        if (ex.operation() != Operation.MESSAGES && ex.operation() != Operation.COUNT_TOKENS) {
            return CONTINUE;
        }
        Identity who = ex.identity();
        String model = ex.facts() == null ? null : ex.facts().model();
        if (model != null && !policy.allowed(who, model)) {
            throw ModelPolicy.denied(model);
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

    @Override
    public void onResponse(Exchange ex) {
        if (ex.get(STANDING) == null || ex.status() / 100 != 2) {
            return;
        }
        UsageStanding now = standings.get().standing(ex.identity());
        if (now != null && !now.fetchError()) {
            UsageHeaders.served(now).forEach((k, v) -> ex.responseHeaders().set(k, v));
        }
    }
}
