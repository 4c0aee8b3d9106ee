package dev.sluice.authenticate;

import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Identity;
import dev.sluice.pipeline.Stage;
import dev.sluice.wire.ApiError;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Resolves the caller. With no keys configured the gateway is in open local mode: every caller is
 * {@link Identity#OPEN} (logged loudly at start by the assembler). Otherwise a missing or unknown
 * key is a 401 with {@code x-should-retry: false}, so Claude Code does not retry for minutes.
 */
public final class AuthenticateStage implements Stage {
    static final String TAG_PREFIX = "x-sluice-tag-";
    private final KeyResolver keys;
    private final boolean allowOpen;

    public AuthenticateStage(KeyResolver keys, boolean allowOpen) {
        this.keys = keys;
        this.allowOpen = allowOpen;
    }

    @Override
    public String name() {
        return "authenticate";
    }

    @Override
    public Future<Void> onRequest(Exchange ex) {
        MultiMap headers = ex.request().headers();
        String presented = Credentials.presented(headers);
        Identity who = presented == null ? null : keys.resolve(presented);
        if (who == null) {
            // Checked per request: issuing the first key closes an open gateway without a restart.
            if (!allowOpen && !keys.isEmpty()) {
                // A bearer's message must not name x-api-key: Claude Code signed in to a gateway reads
                // such a 401 as the gateway's own upstream failing, instead of asking for /login (issue 13).
                throw ApiError.authentication(presented == null ? "x-api-key header is required"
                        : Credentials.bearer(headers) ? "your sign-in has ended or is not valid; sign in again" : "invalid x-api-key");
            }
            who = Identity.OPEN;
        }
        ex.identity(who.withTags(requestTags(headers)));
        return CONTINUE;
    }

    /** Tags the request adds with {@code x-sluice-tag-<name>: <value>} (Claude Code: ANTHROPIC_CUSTOM_HEADERS). */
    static Map<String, String> requestTags(MultiMap headers) {
        Map<String, String> tags = null;
        for (Map.Entry<String, String> h : headers) {
            String name = h.getKey();
            if (name.length() > TAG_PREFIX.length() && name.regionMatches(true, 0, TAG_PREFIX, 0, TAG_PREFIX.length())) {
                if (tags == null) {
                    tags = new TreeMap<>();
                }
                tags.put(name.substring(TAG_PREFIX.length()).toLowerCase(Locale.ROOT), h.getValue().trim());
            }
        }
        return tags == null ? Map.of() : tags;
    }
}
