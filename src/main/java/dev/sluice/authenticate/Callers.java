package dev.sluice.authenticate;

import dev.sluice.config.Snapshot;
import dev.sluice.pipeline.Identity;
import dev.sluice.wire.ApiError;
import io.vertx.core.MultiMap;

/**
 * Who is calling, by one rule for the pipeline and for the gateway's own endpoints (usage, request
 * lookup): a Bearer token or {@code x-api-key} that a configured static key or an issued key
 * resolves. The gateway is open (every caller is {@link Identity#OPEN}) when the configuration says
 * {@code auth.open}, or when there are no keys at all, static or issued; otherwise an unknown caller
 * is a 401 with {@code x-should-retry: false}, so Claude Code does not retry for minutes.
 */
public final class Callers {
    /** Anthropic's own wording for a request without a key; other doors reword it (front.openai.OpenAiErrorBody). */
    public static final String MISSING_KEY = "x-api-key header is required";
    /** A bearer the gateway does not accept: worded so Claude Code asks the developer to sign in again. */
    public static final String SIGNIN_ENDED = "your sign-in has ended or is not valid; sign in again";

    private final KeyResolver issued;

    /** @param issued the keys issued through the admin API and CLI (the identity registry) */
    public Callers(KeyResolver issued) {
        this.issued = issued;
    }

    /**
     * The caller, or an {@link ApiError}: 401 (also for two different keys in one request, {@link Credentials#conflicting}),
     * or 403 for a page of another site ({@link CrossSiteRequests}).
     */
    public Identity identify(Snapshot snapshot, MultiMap headers) {
        CrossSiteRequests.refuse(headers);
        StaticKeys configured = snapshot.get(StaticKeys.PART);
        String presented = Credentials.presented(headers);
        String ambiguous = presented == null ? Credentials.conflicting(headers) : null;
        if (ambiguous != null) {
            throw ApiError.authentication(ambiguous); // even in open mode: a caller this confused is not let in quietly
        }
        if (presented != null) {
            Identity who = configured.resolve(presented);
            if (who == null) {
                who = issued.resolve(presented);
            }
            if (who != null) {
                return who;
            }
        }
        // Checked per request: issuing the first key closes an open gateway without a restart.
        if (snapshot.config().auth().open() || (configured.isEmpty() && issued.isEmpty())) {
            return Identity.OPEN;
        }
        // A bearer's refusal must not name x-api-key: Claude Code signed in to a gateway reads such a 401 as
        // the gateway's own upstream failing, instead of asking the developer to sign in again.
        throw ApiError.authentication(presented == null ? MISSING_KEY
                : Credentials.bearer(headers) ? SIGNIN_ENDED : "invalid x-api-key");
    }

    /** True when the gateway currently lets anyone in. */
    public boolean open(Snapshot snapshot) {
        return snapshot.config().auth().open() || (snapshot.get(StaticKeys.PART).isEmpty() && issued.isEmpty());
    }
}
