package dev.sluice.signin.usage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.pipeline.Identity;
import dev.sluice.respond.Replies;
import dev.sluice.signin.session.SignedInUser;
import dev.sluice.wire.ApiError;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Supplier;

/**
 * {@code GET /api/oauth/usage} for a signed-in developer, in the shape the gateway protocol gives for
 * signed-in clients ({@link UsageDocument}), from the same {@link UsageStanding} the response headers
 * are rendered from, so the dollars and the percent agree to the second.
 *
 * <p>The seam: the usage endpoint (today {@code budget.UsageEndpoint}) identifies the caller, and when
 * {@link #signedIn} holds, hands the request to {@link #answer}; the budgets engine feeds both through
 * {@link StandingSource} ({@code Signin.standings(source)}).
 */
public final class SignedInUsage {
    private final Supplier<StandingSource> source;

    public SignedInUsage(Supplier<StandingSource> source) {
        this.source = source;
    }

    /** True for an identity a session token resolved to ({@code sso:<user>}). */
    public static boolean signedIn(Identity who) {
        return who != null && who.keyId() != null && who.keyId().startsWith(SignedInUser.KEY_PREFIX);
    }

    /** The answer: 200 with the document, 404 when nothing is known, 503 when the counter could not be read. */
    public Reply render(Identity who) {
        StandingSource s = source.get();
        UsageStanding standing = s.standing(who);
        if (standing != null && standing.fetchError()) {
            return new Reply(503, null, new ApiError(503, "api_error", "your usage could not be read just now", false, null));
        }
        if (standing != null) {
            return new Reply(200, UsageDocument.capped(standing), null);
        }
        UsageDocument.Uncapped spend = s.spend(who);
        if (spend != null) {
            return new Reply(200, UsageDocument.uncapped(spend), null);
        }
        return new Reply(404, null, ApiError.notFound("no usage is recorded for your account on this gateway"));
    }

    /** Writes {@link #render}'s answer ({@code cache-control: no-store}, as the protocol shows). */
    public void answer(HttpServerRequest req, Identity who) {
        Reply r = render(who);
        if (r.error() != null) {
            Replies.send(req.response(), r.error());
            return;
        }
        req.response().setStatusCode(r.status()).putHeader("content-type", "application/json")
                .putHeader("cache-control", "no-store").end(r.body().toString());
    }

    /** A status and either a document or an error. */
    public record Reply(int status, ObjectNode body, ApiError error) {
    }
}
